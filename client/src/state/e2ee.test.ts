// What a decrypted attachment may be shown as: the sender names its type, and an object URL has
// this origin, so a type that can run script never reaches one.
import { expect, test } from 'vitest';
import { displayType } from './e2ee.ts';

test('e2ee files: photos, videos and voice notes keep their type; SVG, HTML and anything unknown become plain bytes', () => {
  for (const type of ['image/jpeg', 'image/png', 'image/webp', 'video/mp4', 'video/webm', 'audio/webm', 'audio/ogg;codecs=opus'])
    expect(displayType(type)).toBe(type);
  for (const type of [
    'image/svg+xml',
    'text/html',
    'application/xhtml+xml',
    'text/javascript',
    '',
    'image/png\ntext/html',
    'IMAGE/SVG+XML',
  ])
    expect(displayType(type)).toBe('application/octet-stream');
});
