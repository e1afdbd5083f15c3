/** Errors fail `npm run check:content`; warnings and notices are advice. */
export type DiagnosticLevel = 'error' | 'warning' | 'notice';

export interface Diagnostic {
  /** Path relative to the project root, with forward slashes. */
  file: string;
  line: number;
  column: number;
  level: DiagnosticLevel;
  /** A stable name for the check, for `--json` consumers: `frontmatter`, `link`, `typography`… */
  rule: string;
  message: string;
}

export interface DiagnosticSummary {
  files: number;
  errors: number;
  warnings: number;
  notices: number;
}

const levelOrder: Record<DiagnosticLevel, number> = { error: 0, warning: 1, notice: 2 };

/** By file, then position, then severity, so output reads top to bottom like the files. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || levelOrder[a.level] - levelOrder[b.level],
  );
}

/** `path:line:col  level  message`: editors and terminals turn the first part into a link. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  return `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}  ${diagnostic.level}  ${diagnostic.message}`;
}

export function summarizeDiagnostics(diagnostics: readonly Diagnostic[], files: number): DiagnosticSummary {
  const count = (level: DiagnosticLevel) => diagnostics.filter((diagnostic) => diagnostic.level === level).length;
  return { files, errors: count('error'), warnings: count('warning'), notices: count('notice') };
}

export function formatSummary(summary: DiagnosticSummary): string {
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `${plural(summary.files, 'file')} checked: ${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}, ${plural(summary.notices, 'notice')}`;
}
