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

declare module 'virtual:duizhao/server-platform' {
  export const serverPlatform: import('./lib/platform/server-platform.ts').ServerPlatform;
}

/** The part of the Workers runtime module the Cloudflare target uses (the full types are not a dependency). */
declare module 'cloudflare:workers' {
  export const env: Record<string, unknown>;
  export function waitUntil(promise: Promise<unknown>): void;
}
