/**
 * npm run check:content [-- --fix] [-- --json]
 * Checks the essays under content/ the way the build would, and more: links, anchors,
 * chart datasets, alt text, translations, Chinese typography. Exits 1 on errors only.
 */
import '../src/lib/load-env.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkContent, countContentFiles, fixFileTypography } from '../src/lib/authoring/content-check.ts';
import { readContentSnapshot } from '../src/lib/authoring/content-files.ts';
import { formatDiagnostic, formatSummary, sortDiagnostics, summarizeDiagnostics } from '../src/lib/authoring/diagnostics.ts';

const usage = 'Usage: npm run check:content [-- --fix] [-- --json]';

function main(): number {
  let options;
  try {
    options = parseArgs({ options: { fix: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean' } } }).values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  if (options.help) {
    console.log(usage);
    return 0;
  }
  const root = process.cwd();
  const fixed: string[] = [];
  if (options.fix) {
    const before = readContentSnapshot(root);
    for (const file of [...before.essays, ...before.pages]) {
      if (file.locale !== 'zh') continue;
      const result = fixFileTypography(file.source);
      if (result.fixes === 0) continue;
      writeFileSync(join(root, file.path), result.source);
      fixed.push(`${file.path}: ${result.fixes} typography fix${result.fixes === 1 ? '' : 'es'}`);
    }
  }
  const snapshot = readContentSnapshot(root);
  const diagnostics = sortDiagnostics(checkContent(snapshot));
  const summary = summarizeDiagnostics(diagnostics, countContentFiles(snapshot));
  if (options.json) {
    console.log(JSON.stringify({ summary, fixed, diagnostics }, null, 2));
  } else {
    for (const line of fixed) console.log(`fixed ${line}`);
    for (const diagnostic of diagnostics) console.log(formatDiagnostic(diagnostic));
    console.log(formatSummary(summary));
  }
  return summary.errors > 0 ? 1 : 0;
}

process.exitCode = main();
