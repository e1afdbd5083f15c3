import { defaultLocale, localeKeys } from '../i18n/locales.ts';

const languageStorageKey = 'duizhao.lang';
const themeStorageKey = 'duizhao.theme';

/**
 * The one script every page runs, inline in <head> so the theme is set before first paint
 * (essays add the tiny copy-link island; charts and search load their own). It remembers the reader's language and theme and, on the
 * root page (`<html data-root>`), sends the reader to the language chosen before, else the
 * browser's, else the default. Storage can throw (privacy modes; even naming `localStorage` throws
 * in a chart embed framed by another site when the browser blocks third-party storage), hence the try blocks.
 */
export const preferencesScript =
  `(function(){var d=document.documentElement,T=${JSON.stringify(themeStorageKey)},L=${JSON.stringify(languageStorageKey)},K=${JSON.stringify(localeKeys)};` +
  `function g(k){try{return localStorage.getItem(k)}catch(e){}}function p(k,v){try{localStorage.setItem(k,v)}catch(e){}}` +
  `var t=g(T);if(t)d.dataset.theme=t;d.classList.add('js');` +
  `function n(){return(d.dataset.theme||(matchMedia('(prefers-color-scheme:dark)').matches?'dark':'light'))=='dark'}` +
  `function y(){document.querySelectorAll('[data-theme-toggle]').forEach(function(b){b.setAttribute('aria-pressed',n())})}` +
  `if(d.hasAttribute('data-root')){var l=g(L);if(K.indexOf(l)<0){l=${JSON.stringify(defaultLocale)};(navigator.languages||[navigator.language]).some(function(x){var c=x.split('-')[0];return K.indexOf(c)>=0&&(l=c)})}location.replace('/'+l+'/')}` +
  `document.addEventListener('DOMContentLoaded',y);` +
  `document.addEventListener('click',function(e){var a=e.target.closest('[data-lang-choice],[data-theme-toggle]');if(!a)return;` +
  `if(a.dataset.langChoice)p(L,a.dataset.langChoice);else{d.dataset.theme=n()?'light':'dark';p(T,d.dataset.theme);y()}})})();`;
