/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    locale: import('./i18n/locales.ts').Locale;
    t: import('i18next').TFunction;
    /** Set by POST /api/comments when a form post failed; the comments page shows it again. */
    commentSubmission?: import('./lib/comments/http.ts').FailedCommentSubmission;
  }
}

declare module 'virtual:duizhao/essay-catalog' {
  export const essayCatalog: import('./lib/essay-catalog.ts').CatalogEssay[];
}
