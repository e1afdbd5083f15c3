import { describe, expect, it } from 'vitest';
import { getTranslator } from '../../src/i18n/translator.ts';
import { describeCommentError } from '../../src/lib/comments/messages.ts';
import { createReservedNameCheck, getNameKey } from '../../src/lib/comments/names.ts';

describe('reserved names', () => {
  const isReserved = createReservedNameCheck({ names: ['对照观察者', 'The duizhao observer', 'Straße'] });

  it('match the reserved name whatever its case, width, spacing or invisible characters', async () => {
    const lookalikes = [
      '对照观察者',
      '对照 观察者',
      '对照\u3000观察者',
      '对\u200B照观察者',
      'the duizhao observer',
      'THE DUIZHAO OBSERVER',
      'Theduizhaoobserver',
      'Ｔｈｅ　ｄｕｉｚｈａｏ　ｏｂｓｅｒｖｅｒ',
      'The\u00A0duizhao\u2060 observer\uFE0F',
      'The duizhao observer\u202C',
      'STRASSE',
      'strasse',
    ];
    for (const name of lookalikes) expect(await isReserved(name), JSON.stringify(name)).toBe(true);
  });

  it('leave other names alone', async () => {
    for (const name of ['观察者', 'The duizhao observers', 'duizhao', 'Ann', '']) expect(await isReserved(name), name).toBe(false);
  });

  it('look up the current names at each check, so a moderator added later is reserved at once', async () => {
    const moderators = ['alice'];
    let lookups = 0;
    const check = createReservedNameCheck({
      names: [],
      listCurrentNames: async () => {
        lookups += 1;
        return moderators;
      },
    });
    expect(await check('ALICE')).toBe(true);
    expect(await check('bob')).toBe(false);
    moderators.push('bob');
    expect(await check('Ｂｏｂ')).toBe(true);
    expect(lookups).toBe(3);
  });

  it('never reserve the empty name, even when a configured name is blank', async () => {
    const check = createReservedNameCheck({ names: ['', '\u200B'] });
    expect(await check('\u200B')).toBe(false);
    expect(getNameKey(' \u200B\uFE0F ')).toBe('');
  });

  it('are refused with a sentence in the reader’s language', () => {
    const error = { status: 400 as const, code: 'invalidInput' as const, fields: [{ field: 'name' as const, code: 'reserved' as const }] };
    expect(describeCommentError(error, getTranslator('en')).fields.name).toBe(
      'This name is reserved for the site’s author and moderators; please choose another.',
    );
    expect(describeCommentError(error, getTranslator('zh')).fields.name).toBe('这个名字是本站作者和管理员专用的，请换一个名字。');
    const invisible = { ...error, fields: [{ field: 'name' as const, code: 'invisibleOnly' as const }] };
    expect(describeCommentError(invisible, getTranslator('en')).fields.name).toBe(
      'There is nothing visible here: only spaces or invisible characters.',
    );
    expect(describeCommentError(invisible, getTranslator('zh')).fields.name).toBe('这里只有空白或看不见的字符，请写上看得见的内容。');
  });
});
