import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { localeKeys } from '../../../i18n/locales.ts';
import { parseDisqusExport } from './disqus.ts';
import { ImportFileError, importSystems, type ImportSystem, type KnownEssays, type ParsedSource } from './mapping.ts';
import { parseTwikooExport } from './twikoo.ts';
import { parseWalineExport } from './waline.ts';
import { parseWordpressExport } from './wordpress.ts';

export function isImportSystem(value: unknown): value is ImportSystem {
  return typeof value === 'string' && (importSystems as readonly string[]).includes(value);
}

const systemNames: Record<ImportSystem, string> = { waline: 'Waline', twikoo: 'Twikoo', disqus: 'Disqus', wordpress: 'WordPress' };

/** Reads another system's export file; a file that is not one throws ImportFileError. */
export function parseSourceExport(system: ImportSystem, text: string, authorIdentities: ReadonlySet<string>): ParsedSource {
  if (text.trim() === '') throw new ImportFileError(`Not a ${systemNames[system]} export: the file is empty.`);
  switch (system) {
    case 'waline':
      return parseWalineExport(text);
    case 'twikoo':
      return parseTwikooExport(text);
    case 'disqus':
      return parseDisqusExport(text, authorIdentities);
    case 'wordpress':
      return parseWordpressExport(text);
  }
}

/** `slug/lang` for each essay version in content/essays of the project at `root`, drafts included. */
export function listEssayVersions(root: string): KnownEssays {
  const folder = join(root, 'content/essays');
  const versions = new Set<string>();
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    for (const lang of localeKeys) if (existsSync(join(folder, entry.name, `${lang}.mdx`))) versions.add(`${entry.name}/${lang}`);
  }
  return versions;
}
