import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { mentionsAndTags, normalizeTag, parseEntities } from './text.ts';

describe('post text', () => {
  test('text: mentions and hashtags are found with their offsets; emails, anchors and numbers are not', () => {
    const text = 'Luna met @Ana_Luna and @bruno.y.max. at #Parque_México! mail ana@example.com #1 #2024gatos page#anchor &#39;';
    const entities = parseEntities(text);
    expect(entities.map((entity) => [entity.type, entity.value, text.slice(entity.start, entity.end)])).toEqual([
      ['mention', 'ana_luna', '@Ana_Luna'],
      ['mention', 'bruno.y.max', '@bruno.y.max'],
      ['hashtag', 'parque_mexico', '#Parque_México'],
      ['hashtag', '2024gatos', '#2024gatos'],
    ]);
  });

  test('text: tags group case and accents together, keep other scripts, and stop at punctuation', () => {
    expect(mentionsAndTags('#Café #cafe #CAFÉ #猫 #кошки, #🐕 #a-b').hashtags).toEqual(['cafe', '猫', 'кошки', 'a']);
    expect(normalizeTag('#Perros')).toBe('perros');
    expect(normalizeTag('no tag')).toBeUndefined();
    expect(normalizeTag('#')).toBeUndefined();
  });

  test('text (property): every entity covers exactly its own source text, entities never overlap, and parsing never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'B', 'é', '_', '.', '@', '#', ' ', '1', '猫', '\n', '!') }), (text) => {
        const entities = parseEntities(text);
        let lastEnd = 0;
        for (const entity of entities) {
          expect(entity.start).toBeGreaterThanOrEqual(lastEnd);
          const source = text.slice(entity.start, entity.end);
          expect(source[0]).toBe(entity.type === 'mention' ? '@' : '#');
          if (entity.type === 'mention') expect(source.slice(1).toLowerCase()).toBe(entity.value);
          lastEnd = entity.end;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
