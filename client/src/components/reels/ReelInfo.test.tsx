// What is written under a reel: the author, the caption with its hashtags linked (with "more"
// only when it is long), the sound (its title, or "original sound" of its creator when it has
// none) leading to its page, and the credit of a duet or stitch (or "original unavailable").
import { cleanup, fireEvent, screen } from '@solidjs/testing-library';
import { afterEach, expect, test } from 'vitest';
import { examplePost } from '../../../../protocol/calls/posts.ts';
import { examplePerson as person } from '../../../../protocol/spec.ts';
import { en } from '../../i18n/messages/en.ts';
import type { Reel } from '../../state/reels.ts';
import { renderScreen } from '../testing.tsx';
import { ReelInfo } from './ReelInfo.tsx';

afterEach(cleanup);

const examplePerson = { ...person, accountType: 'personal' as const };
const post = {
  ...examplePost,
  text: 'Luna learns to surf #playa',
  entities: [{ type: 'hashtag' as const, start: 20, end: 26, value: 'playa' }],
} as Reel['post'];
const base = {
  post,
  mediaId: post.id,
  durationMs: 20_000,
  coverMs: 0,
  language: 'es',
  allowDuet: true,
  allowStitch: true,
  views: 3,
  filter: null,
};
const sound = { id: '0192a1b2-4444-7000-8000-0000000005d1', creator: examplePerson, originReelId: post.id, durationMs: 20_000 };

test('reel info: the author, the caption with its hashtag linked, an untitled sound as "original sound – creator" linking to its page', () => {
  const reel: Reel = { ...base, sound: { ...sound, title: null }, remix: null };
  renderScreen(() => <ReelInfo reel={reel} post={reel.post} />);
  expect(screen.getByRole('link', { name: '#playa' }).getAttribute('href')).toBe('/hashtags/playa');
  const name = examplePerson.displayName || examplePerson.username;
  const row = screen.getByTestId('reel-sound');
  expect(row.getAttribute('href')).toBe(`/sounds/${sound.id}`);
  expect(row.textContent).toBe(en['reels.originalSound'].replace('{name}', `\u2068${name}\u2069`));
  expect(screen.queryByRole('button', { name: en['reels.captionMore'] })).toBeNull();
  expect(screen.queryByTestId('reel-remix')).toBeNull();
});

test('reel info: a titled sound by its title; a duet credits the original; a long caption opens with "more"', () => {
  const long = { ...post, text: `${'Zoomies at the beach '.repeat(6)}#playa`, entities: [] };
  const original = '0192a1b2-4444-7000-8000-0000000000e9';
  const reel: Reel = {
    ...base,
    post: long,
    sound: { ...sound, title: 'Surf song' },
    remix: { kind: 'duet', reelId: original, author: { ...examplePerson, username: 'bruno' } },
  };
  renderScreen(() => <ReelInfo reel={reel} post={reel.post} />);
  expect(screen.getByTestId('reel-sound').textContent).toBe('Surf song');
  const credit = screen.getByRole('link', { name: 'Duet with @\u2068bruno\u2069' });
  expect(credit.getAttribute('href')).toBe(`/reels/${original}`);
  const more = screen.getByRole('button', { name: en['reels.captionMore'] });
  expect(more.getAttribute('aria-expanded')).toBe('false');
  fireEvent.click(more);
  expect(screen.getByTestId('reel-caption').classList.contains('expanded')).toBe(true);
  expect(screen.getByRole('button', { name: en['reels.less'] }).getAttribute('aria-expanded')).toBe('true');
});

test('reel info: a stitch of a reel gone says the original is unavailable; a silent reel has no sound row', () => {
  const reel: Reel = { ...base, sound: null, remix: { kind: 'stitch', unavailable: true } };
  renderScreen(() => <ReelInfo reel={reel} post={reel.post} />);
  expect(screen.getByTestId('reel-remix').textContent).toBe(en['reels.remixUnavailable']);
  expect(screen.queryByTestId('reel-sound')).toBeNull();
});
