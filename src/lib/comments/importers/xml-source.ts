import { XMLParser } from 'fast-xml-parser';
import { SyntaxValidator } from 'fast-xml-validator';
import { ImportFileError } from './mapping.ts';

/** A parsed XML element: text under `#text`, attributes under `@_name`. */
export type XmlNode = Record<string, unknown>;

/**
 * Parses an export's XML, refusing a file that is not well-formed with the parser's line and reason.
 * `repeated` are the element paths (`disqus.post`) read as lists even when there is one.
 */
export function parseXmlExport(text: string, system: string, repeated: readonly string[]): XmlNode {
  // fast-xml-parser reads broken XML without complaint; its own validator moved to fast-xml-validator.
  try {
    SyntaxValidator.validate(text);
  } catch (error) {
    const line = typeof error === 'object' && error !== null && 'line' in error ? ` at line ${String(error.line)}` : '';
    throw new ImportFileError(`Not a ${system} export: bad XML${line}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    // Every value stays text: ids such as 007 or 1e3 must not turn into numbers.
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (_name, path) => repeated.includes(String(path)),
  });
  return parser.parse(text) as XmlNode;
}

/** The text of a child element (its CDATA or text), '' when absent. */
export function readText(node: unknown, name: string): string {
  if (typeof node !== 'object' || node === null) return '';
  const value = (node as XmlNode)[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && value !== null) {
    const text = (value as XmlNode)['#text'];
    return typeof text === 'string' ? text : '';
  }
  return '';
}

/** An attribute of a child element (`<parent dsq:id="1"/>`), or of the node itself when `child` is undefined. */
export function readAttribute(node: unknown, child: string | undefined, attribute: string): string {
  if (typeof node !== 'object' || node === null) return '';
  const element = child === undefined ? node : (node as XmlNode)[child];
  if (typeof element !== 'object' || element === null) return '';
  const value = (element as XmlNode)[`@_${attribute}`];
  return typeof value === 'string' ? value : '';
}

/** The elements under `name`, always as a list. */
export function readList(node: unknown, name: string): XmlNode[] {
  if (typeof node !== 'object' || node === null) return [];
  const value = (node as XmlNode)[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((item): item is XmlNode => typeof item === 'object' && item !== null);
}
