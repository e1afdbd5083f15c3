import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Lowercase words joined by hyphens: the folder name and the URL segment of an essay. */
export const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Why a slug cannot be used, or `undefined` when it can. */
export function describeInvalidSlug(slug: string): string | undefined {
  if (slug === '') return 'the slug is empty';
  if (slug.length > 80) return `the slug “${slug}” is longer than 80 characters`;
  if (!slugPattern.test(slug)) return `the slug “${slug}” must be lowercase letters, digits and single hyphens (e.g. after-the-deadline)`;
  return undefined;
}

export class EssayFolderExistsError extends Error {
  readonly folder: string;

  constructor(folder: string) {
    super(`${folder} already exists`);
    this.name = 'EssayFolderExistsError';
    this.folder = folder;
  }
}

/**
 * Writes an essay folder all at once: the files go to a hidden temporary folder beside it
 * (invisible to the content loader), which is then renamed into place. An existing folder is
 * refused unless `force`, and then swapped out only after the new one is complete, so a
 * failure never leaves a half-written essay.
 */
export function writeEssayFolder(
  essaysDir: string,
  slug: string,
  files: Readonly<Record<string, string>>,
  options: { force?: boolean } = {},
): string {
  const invalid = describeInvalidSlug(slug);
  if (invalid) throw new Error(invalid);
  const folder = join(essaysDir, slug);
  if (existsSync(folder) && !options.force) throw new EssayFolderExistsError(folder);
  mkdirSync(essaysDir, { recursive: true });
  const staging = mkdtempSync(join(essaysDir, `.${slug}-new-`));
  let replaced: string | undefined;
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(staging, name), text);
    if (existsSync(folder)) {
      replaced = `${staging.replace(/-new-([^/\\]*)$/, '-old-$1')}`;
      renameSync(folder, replaced);
    }
    renameSync(staging, folder);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (replaced && existsSync(replaced) && !existsSync(folder)) renameSync(replaced, folder);
    throw error;
  }
  if (replaced) rmSync(replaced, { recursive: true, force: true });
  return folder;
}
