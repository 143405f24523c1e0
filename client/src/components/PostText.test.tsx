// Entities are placed by the server's UTF-16 offsets: an emoji before a mention (two code units)
// shifts nothing; overlapping or out-of-range entities stay plain text.
import { MemoryRouter, Route } from '@solidjs/router';
import { cleanup, render, screen } from '@solidjs/testing-library';
import { afterEach, expect, test } from 'vitest';
import { PostText, segments } from './PostText.tsx';

afterEach(cleanup);

const text = '🐶 Walk with @ana_luna at the #Parque 🌳';
const mention = { type: 'mention' as const, start: 13, end: 22, value: 'ana_luna', userId: '0192a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' };
const hashtag = { type: 'hashtag' as const, start: 30, end: 37, value: 'parque' };

test('post text: offsets count UTF-16 code units, so an emoji before a mention needs no correction', () => {
  expect(text.slice(mention.start, mention.end)).toBe('@ana_luna');
  expect(segments(text, [hashtag, mention])).toEqual([
    { text: '🐶 Walk with ' },
    { text: '@ana_luna', href: '/u/ana_luna', kind: 'mention' },
    { text: ' at the ' },
    { text: '#Parque', href: '/hashtags/parque', kind: 'hashtag' },
    { text: ' 🌳' },
  ]);
});

test('post text: an overlapping or out-of-range entity is left as text', () => {
  const overlapping = { type: 'hashtag' as const, start: 15, end: 20, value: 'x' };
  const outside = { type: 'hashtag' as const, start: 38, end: 80, value: 'y' };
  expect(
    segments(text, [mention, overlapping, outside])
      .map((segment) => segment.text)
      .join(''),
  ).toBe(text);
  expect(segments(text, [mention, overlapping, outside]).filter((segment) => 'href' in segment)).toHaveLength(1);
});

test('post text: mentions link to the profile and hashtags to their page', () => {
  render(() => (
    <MemoryRouter>
      <Route path="/" component={() => <PostText text={text} entities={[mention, hashtag]} />} />
    </MemoryRouter>
  ));
  expect(screen.getByRole('link', { name: '@ana_luna' }).getAttribute('href')).toBe('/u/ana_luna');
  expect(screen.getByRole('link', { name: '#Parque' }).getAttribute('href')).toBe('/hashtags/parque');
  expect(screen.getByText(/Walk with/).textContent).toBe(text);
});
