import type { APIRoute } from 'astro';

export const GET: APIRoute = ({ site }) => {
  const sitemap = site ? `Sitemap: ${new URL('sitemap-index.xml', site).href}\n` : '';
  return new Response(`User-agent: *\nDisallow: /api/\nDisallow: /moderate/\n\n${sitemap}`, {
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  });
};
