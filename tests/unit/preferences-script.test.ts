import { describe, expect, it } from 'vitest';
import { preferencesScript } from '../../src/lib/preferences-script.ts';

describe('preferences script', () => {
  it('stays under 1 KB', () => expect(new TextEncoder().encode(preferencesScript).length).toBeLessThan(1024));
  it('is valid JavaScript', () => expect(() => new Function(preferencesScript)).not.toThrow());
});
