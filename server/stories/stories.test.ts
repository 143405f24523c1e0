// Stories through the protocol: posting (a ready photo or video of one's own, 60 s clips on
// request, refusals that store nothing), who sees what on every read path (audience, close
// friends, blocks either way, "hide my story from", expiry at once), views counted once with the
// viewer list for the author alone, sticker answers, the tray's order and its live events, mute,
// the archive, and the hourly cleanup (what it deletes and keeps, one node at a time, a round a
// dead node left picked up again).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { mediaRow } from '../../test/harness/media-rows.ts';
import { befriend, type Member, memberPool } from '../../test/harness/social.ts';
import { media } from '../media/schema.ts';
import { rowsOf } from '../platform/db/rows.ts';
import { CLEANUP_JOB, StoryCleanup } from './cleanup.ts';

const PER_DAY = 40;

let env: AccountsEnv;
let pool: ReturnType<typeof memberPool>;

beforeAll(async () => {
  env = await startAccountsEnv('stories', { FRIEND_REQUESTS_PER_HOUR: '1000', STORIES_PER_DAY: String(PER_DAY) });
  pool = memberPool(env);
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

const db = () => env.node.platform.database.db;

/** A ready media of `owner`, as the pipeline leaves one (its files are not needed here). */
const readyMedia = (owner: Member, kind: 'image' | 'video' | 'voice' = 'image', durationMs: number | null = null) =>
  mediaRow(db(), owner.id, kind, { durationMs });

async function story(author: Member, audience: 'public' | 'friends' | 'close_friends' = 'friends', extra: Record<string, unknown> = {}) {
  const { stories } = await author.call('stories.create', { mediaId: await readyMedia(author), audience, ...extra });
  return stories[0] as NonNullable<(typeof stories)[number]>;
}

const storyCount = async (author: Member) =>
  rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from stories where author_id = ${author.id}`))[0]?.n;

const trayIds = async (viewer: Member) => (await viewer.call('stories.tray', {})).items.map((item) => item.author.id);

describe('stories: posting', () => {
  test('stories: a photo story with overlays, a mention, a hashtag, a link and a poll; a retry answers the same story', async () => {
    const { owner, friend } = await pool.circle();
    const post = await owner.call('posts.create', { text: 'Beach day', visibility: 'public' });
    const mediaId = await readyMedia(owner);
    const clientId = crypto.randomUUID();
    const body = {
      mediaId,
      audience: 'friends' as const,
      overlays: [{ text: `With @${friend.user.username}!`, x: 0.5, y: 0.8, color: 'yellow' as const }],
      hashtag: '#Playa',
      linkPostId: post.id,
      sticker: { kind: 'poll' as const, question: 'Again tomorrow?', options: ['Yes', 'No'] },
      clientId,
    };
    const { stories } = await owner.call('stories.create', body);
    expect(stories).toHaveLength(1);
    const [made] = stories;
    expect(made).toMatchObject({
      mediaId,
      kind: 'image',
      clip: null,
      audience: 'friends',
      overlays: body.overlays,
      mentions: [{ userId: friend.id, username: friend.user.username }],
      hashtag: 'playa',
      linkPostId: post.id,
      sticker: { kind: 'poll', question: 'Again tomorrow?', options: ['Yes', 'No'], myVote: null, votes: [0, 0] },
      expired: false,
      seen: true,
      views: 0,
    });
    expect(new Date(made?.expiresAt as string).getTime() - new Date(made?.createdAt as string).getTime()).toBe(86_400_000);
    // The mentioned friend is told.
    expect(
      await friend.event('notification.new', (body) => (body.notification as { type: string }).type === 'story.mention'),
    ).toMatchObject({ notification: { type: 'story.mention', data: { storyId: made?.id } } });
    // A retry with the same key answers the same story and stores nothing more.
    expect((await owner.call('stories.create', body)).stories.map((item) => item.id)).toEqual([made?.id]);
    expect(await storyCount(owner)).toBe(1);
    // What the friend sees: no counts of others' answers before voting, no view count.
    expect(await friend.call('stories.get', { storyId: made?.id as string })).toMatchObject({
      seen: false,
      views: null,
      sticker: { votes: null },
    });
  });

  test('stories: a video over 60 s is STORY_TOO_LONG, or cut into 60 s clips when asked; longer than 10 clips is refused even so', async () => {
    const author = await pool.member();
    const long = await readyMedia(author, 'video', 150_000);
    const refused = await author.refused('stories.create', { mediaId: long, audience: 'public' });
    expect(refused).toEqual({ code: 'STORY_TOO_LONG', details: { durationMs: 150_000, maxDurationMs: 60_000 } });
    expect(await storyCount(author)).toBe(0);
    const { stories } = await author.call('stories.create', {
      mediaId: long,
      audience: 'public',
      split: true,
      clientId: crypto.randomUUID(),
    });
    expect(stories.map((item) => item.clip)).toEqual([
      { startMs: 0, endMs: 60_000 },
      { startMs: 60_000, endMs: 120_000 },
      { startMs: 120_000, endMs: 150_000 },
    ]);
    const short = await readyMedia(author, 'video', 59_000);
    expect((await author.call('stories.create', { mediaId: short, audience: 'public' })).stories[0]?.clip).toBeNull();
    const huge = await readyMedia(author, 'video', 11 * 60_000);
    expect((await author.refused('stories.create', { mediaId: huge, audience: 'public', split: true })).code).toBe('STORY_TOO_LONG');
    expect(await storyCount(author)).toBe(4);
  });

  test('stories: someone else’s media, a voice note, an unready upload, someone else’s post or pet, bad bodies: refused, nothing stored', async () => {
    const [author, other] = await Promise.all([pool.member(), pool.member()]);
    const theirs = await readyMedia(other);
    expect((await author.refused('stories.create', { mediaId: theirs, audience: 'public' })).code).toBe('NOT_FOUND');
    expect((await author.refused('stories.create', { mediaId: await readyMedia(author, 'voice', 5000), audience: 'public' })).code).toBe(
      'NOT_FOUND',
    );
    const now = new Date();
    const unready = Bun.randomUUIDv7();
    await db()
      .insert(media)
      .values({ id: unready, ownerId: author.id, kind: 'image', status: 'processing', size: 10, createdAt: now, updatedAt: now });
    expect((await author.refused('stories.create', { mediaId: unready, audience: 'public' })).code).toBe('MEDIA_NOT_READY');
    const mine = await readyMedia(author);
    const theirPost = await other.call('posts.create', { text: 'not yours', visibility: 'public' });
    expect((await author.refused('stories.create', { mediaId: mine, audience: 'public', linkPostId: theirPost.id })).code).toBe(
      'NOT_FOUND',
    );
    const theirPet = await other.call('pets.create', { name: 'Rex', species: 'dog' });
    expect((await author.refused('stories.create', { mediaId: mine, audience: 'public', asPetId: theirPet.id })).code).toBe('NOT_FOUND');
    for (const bad of [
      { mediaId: mine, audience: 'public', authorId: other.id },
      { mediaId: mine, audience: 'private' },
      { mediaId: mine, audience: 'public', overlays: [{ text: 'x', x: 2, y: 0, color: 'white' }] },
      { mediaId: mine, audience: 'public', overlays: [{ text: 'x', x: 0, y: 0, color: 'white', font: 'serif' }] },
      { mediaId: mine, audience: 'public', sticker: { kind: 'poll', question: 'Only one?', options: ['One'] } },
      { mediaId: mine, audience: 'public', overlays: Array.from({ length: 11 }, () => ({ text: 'x', x: 0, y: 0, color: 'white' })) },
    ])
      expect((await author.refused('stories.create', bad)).code).toBe('INVALID_BODY');
    expect((await author.refused('stories.create', { mediaId: mine, audience: 'public', hashtag: 'two words' })).code).toBe(
      'INVALID_INPUT',
    );
    expect(
      (
        await author.refused('stories.create', {
          mediaId: mine,
          audience: 'public',
          overlays: [{ text: 'a\u0007b', x: 0, y: 0, color: 'white' }],
        })
      ).code,
    ).toBe('INVALID_INPUT');
    expect(await storyCount(author)).toBe(0);
    // As one of their own pets it works.
    const pet = await author.call('pets.create', { name: 'Luna', species: 'cat' });
    expect((await author.call('stories.create', { mediaId: mine, audience: 'public', asPetId: pet.id })).stories[0]?.pet).toEqual({
      id: pet.id,
      name: 'Luna',
    });
  });

  test(`stories: at most STORIES_PER_DAY (${PER_DAY} here) a day, clips counted one by one: RATE_LIMITED beyond`, async () => {
    const author = await pool.member();
    const long = await readyMedia(author, 'video', 10 * 60_000);
    for (let i = 0; i < 4; i++) await author.call('stories.create', { mediaId: long, audience: 'public', split: true });
    expect(await storyCount(author)).toBe(PER_DAY);
    expect((await author.refused('stories.create', { mediaId: await readyMedia(author), audience: 'public' })).code).toBe('RATE_LIMITED');
    expect(await storyCount(author)).toBe(PER_DAY);
  });
});

describe('stories: through the media pipeline', () => {
  test('stories: a photo and a video uploaded and processed for real; a video of 62 s is refused by its measured length, or split', async () => {
    const author = await pool.member();
    const work = mkdtempSync(join(tmpdir(), 'stories-test-'));
    try {
      const upload = async (kind: 'image' | 'video', bytes: Uint8Array, name: string, type: string) => {
        const form = new FormData();
        form.set('kind', kind);
        form.set('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), name);
        const response = await env
          .client()
          .request<{ media: { id: string } }>('POST', '/media', { raw: form, token: author.user.tokens.accessToken });
        const id = response.body.media.id;
        await author.event(
          'media.changed',
          (body) => (body.media as { id: string; status: string }).id === id && (body.media as { status: string }).status === 'ready',
          60_000,
        );
        return id;
      };
      const photo = await sharp({ create: { width: 60, height: 100, channels: 3, background: '#3a7' } })
        .png()
        .toBuffer();
      const photoId = await upload('image', new Uint8Array(photo), 'beach.png', 'image/png');
      expect((await author.call('stories.create', { mediaId: photoId, audience: 'public' })).stories[0]).toMatchObject({
        kind: 'image',
        clip: null,
      });
      const path = join(work, 'long.mp4');
      const ffmpeg = Bun.spawn(
        ['ffmpeg', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=2', '-t', '62', '-pix_fmt', 'yuv420p', path],
        { stderr: 'pipe' },
      );
      if ((await ffmpeg.exited) !== 0) throw new Error(await new Response(ffmpeg.stderr).text());
      const videoId = await upload('video', new Uint8Array(await Bun.file(path).arrayBuffer()), 'long.mp4', 'video/mp4');
      const refused = await author.refused('stories.create', { mediaId: videoId, audience: 'public' });
      expect(refused.code).toBe('STORY_TOO_LONG');
      expect(refused.details?.durationMs).toBeGreaterThan(61_000);
      const { stories } = await author.call('stories.create', { mediaId: videoId, audience: 'public', split: true });
      expect(stories.map((item) => [item.kind, item.clip?.startMs])).toEqual([
        ['video', 0],
        ['video', 60_000],
      ]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('stories: who sees what', () => {
  test('stories: audiences on every read path: friends, close friends (green), public; a stranger gets nothing', async () => {
    const { owner, friend, close, stranger } = await pool.circle();
    const forFriends = await story(owner, 'friends');
    const forCircle = await story(owner, 'close_friends');
    const forAll = await story(owner, 'public');
    const ids = async (viewer: Member) => (await viewer.call('stories.byAuthor', { userId: owner.id })).items.map((item) => item.id);
    expect(await ids(owner)).toEqual([forFriends.id, forCircle.id, forAll.id]);
    expect(await ids(close)).toEqual([forFriends.id, forCircle.id, forAll.id]);
    expect(await ids(friend)).toEqual([forFriends.id, forAll.id]);
    expect(await ids(stranger)).toEqual([forAll.id]);
    expect((await stranger.refused('stories.get', { storyId: forFriends.id })).code).toBe('NOT_FOUND');
    expect((await friend.refused('stories.get', { storyId: forCircle.id })).code).toBe('NOT_FOUND');
    expect((await friend.refused('stories.view', { storyId: forCircle.id })).code).toBe('NOT_FOUND');
    expect((await stranger.refused('stories.answer', { storyId: forFriends.id, option: 0 })).code).toBe('NOT_FOUND');
    const item = async (viewer: Member) => (await viewer.call('stories.tray', {})).items.find((entry) => entry.author.id === owner.id);
    expect(await item(close)).toMatchObject({ stories: 3, unseen: 3, closeFriends: true });
    expect(await item(friend)).toMatchObject({ stories: 2, unseen: 2, closeFriends: false });
    // Strangers' trays hold friends and people they follow only.
    expect(await item(stranger)).toBeUndefined();
    // The media follows the same rule.
    const sees = async (viewer: Member, id: string) => (await viewer.call('media.get', { ids: [id] })).items.length === 1;
    expect(await sees(friend, forFriends.mediaId)).toBe(true);
    expect(await sees(stranger, forFriends.mediaId)).toBe(false);
    expect(await sees(friend, forCircle.mediaId)).toBe(false);
    expect(await sees(stranger, forAll.mediaId)).toBe(true);
  });

  test('stories: a block either way hides everything, the media too; the blocked person’s ids are NOT_FOUND', async () => {
    const { owner, friend } = await pool.circle();
    const made = await story(owner, 'public', { sticker: { kind: 'question', prompt: 'Treats?' } });
    await friend.call('stories.view', { storyId: made.id });
    await friend.call('stories.answer', { storyId: made.id, answer: 'Always' });
    await owner.call('stories.mute', { userId: friend.id, muted: true });
    expect((await owner.call('stories.viewers', { storyId: made.id })).items).toHaveLength(1);
    await friend.call('blocks.block', { userId: owner.id });
    // The author's lists leave out someone a block now stands between them and (the count stays).
    expect(await owner.call('stories.viewers', { storyId: made.id })).toMatchObject({ items: [], views: 1 });
    expect((await owner.call('stories.answers', { storyId: made.id })).items).toEqual([]);
    expect((await owner.call('stories.settings', {})).muted).toEqual([]);
    await friend.call('blocks.unblock', { userId: owner.id });
    await owner.call('blocks.block', { userId: friend.id });
    expect((await friend.refused('stories.get', { storyId: made.id })).code).toBe('NOT_FOUND');
    expect((await friend.refused('stories.byAuthor', { userId: owner.id })).code).toBe('NOT_FOUND');
    expect(await trayIds(friend)).not.toContain(owner.id);
    expect((await friend.call('media.get', { ids: [made.mediaId] })).items).toEqual([]);
    expect((await owner.refused('stories.hide', { userIds: [friend.id], hidden: true })).code).toBe('NOT_FOUND');
    expect((await friend.refused('stories.mute', { userId: owner.id, muted: true })).code).toBe('NOT_FOUND');
  });

  test('stories: after a block or "hide from", a replay of the feed topic from seq 0 gives ids that all read NOT_FOUND; later stories are not announced', async () => {
    const { owner, friend, close } = await pool.circle();
    const topic = (member: Member) => `feed:${member.id}`;
    for (const member of [friend, close]) await member.follow(topic(member));
    const before = await story(owner, 'friends', { overlays: [{ text: 'secret beach', x: 0.5, y: 0.5, color: 'white' }] });
    for (const member of [friend, close]) await member.event('story.added', (body) => body.storyId === before.id);
    await friend.call('blocks.block', { userId: owner.id });
    await owner.call('stories.hide', { userIds: [close.id], hidden: true });
    const after = await story(owner, 'friends', { overlays: [{ text: 'after the block', x: 0.5, y: 0.5, color: 'white' }] });
    await env.node.social.stories.settled();
    const epoch = env.node.platform.topics.epoch;
    for (const member of [friend, close]) {
      const from = member.socket.frames.length;
      const reply = await member.socket.request({ type: 'sub', topic: topic(member), since: { epoch, seq: 0 } });
      expect(reply.type).toBe('reply');
      const upTo = (reply.body as { seq: number }).seq;
      const replayed = () =>
        member.socket.frames
          .slice(from)
          .filter((frame) => (frame.type === 'event' || frame.type === 'reset') && frame.topic === topic(member));
      await expect.poll(() => replayed().some((frame) => frame.type === 'reset' || frame.seq === upTo), { timeout: 5000 }).toBe(true);
      const seen = JSON.stringify(replayed());
      // The replay is the log as it was sent: the first story's id is there (so the reads below run).
      expect(seen).toContain(before.id);
      // Ids only, never what the story says; nothing of the story posted after.
      expect(seen).not.toContain('secret beach');
      expect(seen).not.toContain(after.id);
      for (const frame of replayed()) {
        if (frame.type !== 'event' || !String(frame.name).startsWith('story.')) continue;
        const { storyId } = frame.body as { storyId: string };
        expect((await member.refused('stories.get', { storyId })).code).toBe('NOT_FOUND');
      }
      expect(await trayIds(member)).not.toContain(owner.id);
      expect((await member.call('media.get', { ids: [before.mediaId, after.mediaId] })).items).toEqual([]);
    }
  });

  test('stories: "hide my story from" takes them out at once, live; showing again brings them back', async () => {
    const { owner, friend, close } = await pool.circle();
    await friend.follow(`feed:${friend.id}`);
    const forCircle = await story(owner, 'close_friends');
    const made = await story(owner, 'friends');
    const removed = friend.event('story.removed', (body) => body.storyId === made.id);
    await owner.call('stories.hide', { userIds: [friend.id], hidden: true });
    expect(await removed).toEqual({ authorId: owner.id, storyId: made.id });
    // Told only of what they could see: not of the close-friends story.
    expect(
      friend.socket.frames.some((frame) => frame.name === 'story.removed' && (frame.body as { storyId: string }).storyId === forCircle.id),
    ).toBe(false);
    expect((await friend.refused('stories.get', { storyId: made.id })).code).toBe('NOT_FOUND');
    expect(await trayIds(friend)).not.toContain(owner.id);
    expect(await trayIds(close)).toContain(owner.id);
    expect((await owner.call('stories.settings', {})).hidden.map((person) => person.id)).toEqual([friend.id]);
    // Hidden people hear nothing of new stories either.
    const next = await story(owner, 'friends');
    await close.call('stories.get', { storyId: next.id });
    await owner.call('stories.hide', { userIds: [friend.id], hidden: false });
    expect((await friend.call('stories.get', { storyId: made.id })).id).toBe(made.id);
    expect((await owner.call('stories.settings', {})).hiddenCount).toBe(0);
  });

  test('stories: past its lifetime a story leaves every read path at once; its author keeps it in the archive', async () => {
    const { owner, friend } = await pool.circle();
    const made = await story(owner, 'friends');
    await db().execute(sql`update stories set expires_at = now() - interval '1 second' where id = ${made.id}`);
    expect((await friend.refused('stories.get', { storyId: made.id })).code).toBe('NOT_FOUND');
    expect((await friend.call('stories.byAuthor', { userId: owner.id })).items).toEqual([]);
    expect(await trayIds(friend)).not.toContain(owner.id);
    expect((await friend.refused('stories.view', { storyId: made.id })).code).toBe('NOT_FOUND');
    expect((await friend.call('media.get', { ids: [made.mediaId] })).items).toEqual([]);
    expect(await owner.call('stories.get', { storyId: made.id })).toMatchObject({ id: made.id, expired: true });
    expect((await owner.call('stories.byAuthor', { userId: owner.id })).items).toEqual([]);
    expect((await owner.call('stories.archive', {})).items.map((item) => item.id)).toEqual([made.id]);
  });
});

describe('stories: limits and bad input', () => {
  test('stories: at most 10,000 people hidden from and 10,000 muted: one more is refused and changes nothing', async () => {
    const [owner, one] = await Promise.all([pool.member(), pool.member()]);
    const tag = crypto.randomUUID().slice(0, 8);
    await db().execute(sql`insert into users (id, email, username)
      select gen_random_uuid(), ${tag} || '-' || i || '@limit.test', 'l' || ${tag} || i from generate_series(1, 10000) i`);
    await db().execute(sql`insert into story_hidden (owner_id, hidden_id, created_at)
      select ${owner.id}, id, now() from users where email like ${`${tag}-%`}`);
    await db().execute(sql`insert into story_mutes (user_id, muted_id, created_at)
      select ${owner.id}, id, now() from users where email like ${`${tag}-%`}`);
    expect(await owner.refused('stories.hide', { userIds: [one.id], hidden: true })).toEqual({
      code: 'TOO_MANY_HIDDEN',
      details: { limit: 10_000 },
    });
    expect(await owner.refused('stories.mute', { userId: one.id, muted: true })).toEqual({
      code: 'TOO_MANY_MUTED',
      details: { limit: 10_000 },
    });
    expect(await owner.call('stories.settings', {})).toMatchObject({ hiddenCount: 10_000, mutedCount: 10_000 });
    expect((await owner.refused('stories.mute', { userId: owner.id, muted: true })).code).toBe('INVALID_INPUT');
  });

  test('stories: cursors this server did not give are INVALID_CURSOR; someone who does not exist is NOT_FOUND', async () => {
    const author = await pool.member();
    const made = await story(author);
    const forged = (parts: string[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    expect((await author.refused('stories.archive', { cursor: forged(['x']) })).code).toBe('INVALID_CURSOR');
    expect((await author.refused('stories.viewers', { storyId: made.id, cursor: forged(['x', 'y']) })).code).toBe('INVALID_CURSOR');
    expect((await author.refused('stories.answers', { storyId: made.id, cursor: forged([new Date().toISOString(), 'y']) })).code).toBe(
      'INVALID_CURSOR',
    );
    expect((await author.refused('stories.byAuthor', { userId: crypto.randomUUID() })).code).toBe('NOT_FOUND');
    expect((await author.refused('stories.highlights', { userId: crypto.randomUUID() })).code).toBe('NOT_FOUND');
    expect((await author.refused('stories.highlight', { highlightId: crypto.randomUUID() })).code).toBe('NOT_FOUND');
    expect((await author.refused('stories.get', { storyId: crypto.randomUUID() })).code).toBe('NOT_FOUND');
  });
});

describe('stories: views and answers', () => {
  test('stories: a view counts once per person; the author sees who and when, live; nobody else does', async () => {
    const { owner, friend, close } = await pool.circle();
    const made = await story(owner, 'friends');
    const viewed = owner.event('story.viewed', (body) => body.storyId === made.id);
    expect(await friend.call('stories.view', { storyId: made.id })).toEqual({ seen: true });
    expect(await viewed).toEqual({ storyId: made.id, viewerId: friend.id, viewedAt: expect.any(String), views: 1 });
    await friend.call('stories.view', { storyId: made.id });
    await owner.call('stories.view', { storyId: made.id });
    await close.call('stories.view', { storyId: made.id });
    const list = await owner.call('stories.viewers', { storyId: made.id });
    expect(list.views).toBe(2);
    expect(list.items.map((item) => item.viewer.id)).toEqual([close.id, friend.id]);
    expect((await owner.call('stories.get', { storyId: made.id })).views).toBe(2);
    expect((await friend.refused('stories.viewers', { storyId: made.id })).code).toBe('NOT_FOUND');
    expect((await friend.call('stories.get', { storyId: made.id })).seen).toBe(true);
    const rows = rowsOf<{ n: number; count: number }>(
      await db().execute(
        sql`select (select count(*)::int from story_views where story_id = ${made.id}) as n, view_count as count from stories where id = ${made.id}`,
      ),
    );
    expect(rows[0]).toEqual({ n: 2, count: 2 });
  });

  test('stories: views counted under concurrency stay equal to the rows', async () => {
    const { owner } = await pool.circle();
    const viewers = await Promise.all(Array.from({ length: 8 }, () => pool.member()));
    await Promise.all(viewers.map((viewer) => befriend(env.node, owner, viewer)));
    const made = await story(owner, 'friends');
    await Promise.all(viewers.flatMap((viewer) => [0, 1, 2].map(() => viewer.call('stories.view', { storyId: made.id }))));
    expect((await owner.call('stories.viewers', { storyId: made.id })).views).toBe(8);
  });

  test('stories: a poll takes one vote per person, shows counts to voters and the author; a question’s answers reach the author alone', async () => {
    const { owner, friend, close } = await pool.circle();
    const poll = await story(owner, 'friends', { sticker: { kind: 'poll', question: 'Park?', options: ['Yes', 'No', 'Later'] } });
    expect((await friend.refused('stories.answer', { storyId: poll.id, option: 3 })).code).toBe('INVALID_INPUT');
    expect((await friend.refused('stories.answer', { storyId: poll.id, answer: 'yes' })).code).toBe('INVALID_INPUT');
    const answered = owner.event('story.answered', (body) => body.storyId === poll.id);
    expect((await friend.call('stories.answer', { storyId: poll.id, option: 2 })).sticker).toMatchObject({ myVote: 2, votes: [0, 0, 1] });
    expect(await answered).toEqual({
      storyId: poll.id,
      userId: friend.id,
      option: 2,
      answer: null,
      answeredAt: expect.any(String),
      votes: [0, 0, 1],
      answers: null,
    });
    // Someone who has not voted sees no counts.
    expect((await close.call('stories.get', { storyId: poll.id })).sticker).toMatchObject({ myVote: null, votes: null });
    // The next vote's event carries the totals after it.
    const second = owner.event('story.answered', (body) => body.storyId === poll.id && body.userId === close.id);
    await close.call('stories.answer', { storyId: poll.id, option: 0 });
    expect(await second).toMatchObject({ votes: [1, 0, 1], answers: null });
    expect((await friend.refused('stories.answer', { storyId: poll.id, option: 0 })).code).toBe('ALREADY_ANSWERED');
    expect((await owner.call('stories.get', { storyId: poll.id })).sticker).toMatchObject({ votes: [1, 0, 1] });
    expect((await owner.refused('stories.answer', { storyId: poll.id, option: 0 })).code).toBe('INVALID_INPUT');
    // Answering counts as a view.
    expect((await owner.call('stories.viewers', { storyId: poll.id })).views).toBe(2);

    const question = await story(owner, 'friends', { sticker: { kind: 'question', prompt: 'Best treat?' } });
    // Before voting, someone sees no counts.
    expect((await close.call('stories.get', { storyId: question.id })).sticker).toMatchObject({ myAnswer: null, answers: null });
    const told = owner.event('story.answered', (body) => body.storyId === question.id);
    await close.call('stories.answer', { storyId: question.id, answer: '  Chicken  ' });
    expect(await told).toMatchObject({ option: null, answer: 'Chicken', votes: null, answers: 1 });
    expect((await close.call('stories.get', { storyId: question.id })).sticker).toEqual({
      kind: 'question',
      prompt: 'Best treat?',
      myAnswer: 'Chicken',
      answers: null,
    });
    expect((await owner.call('stories.answers', { storyId: question.id })).items).toMatchObject([
      { user: { id: close.id }, answer: 'Chicken' },
    ]);
    expect((await close.refused('stories.answers', { storyId: question.id })).code).toBe('NOT_FOUND');
    const plain = await story(owner, 'friends');
    expect((await friend.refused('stories.answer', { storyId: plain.id, option: 0 })).code).toBe('INVALID_INPUT');
  });
});

describe('stories: the tray', () => {
  test('stories: own first, then unseen, close friends first among them; mute leaves a person out; views move the ring', async () => {
    const viewer = await pool.member();
    const [a, b, c] = await Promise.all([pool.member(), pool.member(), pool.member()]);
    await Promise.all([a, b, c].map((other) => befriend(env.node, viewer, other)));
    await viewer.call('friends.setClose', { userId: c.id, close: true });
    const first = await story(a, 'friends');
    await story(b, 'friends');
    await story(c, 'friends');
    await story(viewer, 'friends');
    // c is in the viewer's circle: before the newer b.
    expect(await trayIds(viewer)).toEqual([viewer.id, c.id, b.id, a.id]);
    await viewer.call('stories.view', { storyId: first.id });
    const tray = (await viewer.call('stories.tray', {})).items;
    expect(tray.map((item) => item.author.id)).toEqual([viewer.id, c.id, b.id, a.id]);
    expect(tray.find((item) => item.author.id === a.id)?.unseen).toBe(0);
    await story(a, 'friends');
    // a has something unseen again, and the viewer watched a lately: before b.
    expect(await trayIds(viewer)).toEqual([viewer.id, c.id, a.id, b.id]);
    expect(await viewer.call('stories.mute', { userId: b.id, muted: true })).toEqual({ muted: true });
    expect(await trayIds(viewer)).toEqual([viewer.id, c.id, a.id]);
    expect((await viewer.call('stories.byAuthor', { userId: b.id })).items).toHaveLength(1);
    expect((await viewer.call('stories.settings', {})).muted.map((person) => person.id)).toEqual([b.id]);
    await viewer.call('stories.mute', { userId: b.id, muted: false });
    expect(await trayIds(viewer)).toContain(b.id);
  });

  test('stories: a new story reaches open trays live on the feed topic, not the hidden, the muting or those outside its audience', async () => {
    const { owner, friend, close, stranger } = await pool.circle();
    const muting = await pool.member();
    await befriend(env.node, owner, muting);
    await muting.call('stories.mute', { userId: owner.id, muted: true });
    for (const member of [friend, close, stranger, muting]) await member.follow(`feed:${member.id}`);
    const forCircle = await story(owner, 'close_friends');
    expect(await close.event('story.added', (body) => body.storyId === forCircle.id)).toEqual({
      authorId: owner.id,
      storyId: forCircle.id,
    });
    // What the event leads to: the tray read again.
    expect((await close.call('stories.tray', {})).items.find((item) => item.author.id === owner.id)).toMatchObject({
      stories: 1,
      unseen: 1,
      closeFriends: true,
    });
    const forFriends = await story(owner, 'friends');
    expect(await friend.event('story.added', (body) => body.storyId === forFriends.id)).toEqual({
      authorId: owner.id,
      storyId: forFriends.id,
    });
    await env.node.social.stories.settled();
    const stray = async (member: Member) => {
      for (const frame of member.socket.frames) if (frame.type === 'event' && frame.name === 'story.added') return frame;
      return undefined;
    };
    expect(await stray(stranger)).toBeUndefined();
    expect(await stray(muting)).toBeUndefined();
    // The friend outside the circle heard only of the friends story.
    expect(
      friend.socket.frames.filter(
        (frame) => frame.type === 'event' && frame.name === 'story.added' && (frame.body as { storyId: string }).storyId === forCircle.id,
      ),
    ).toEqual([]);
    // Deleting tells them too.
    const removed = close.event('story.removed', (body) => body.storyId === forFriends.id);
    await owner.call('stories.delete', { storyId: forFriends.id });
    await removed;
    expect((await close.refused('stories.get', { storyId: forFriends.id })).code).toBe('NOT_FOUND');
    expect((await friend.refused('stories.delete', { storyId: forCircle.id })).code).toBe('NOT_FOUND');
  });
});

describe('stories: cleanup', () => {
  const cleanup = (node: string) =>
    new StoryCleanup({ db: db(), media: env.node.social.media, log: env.node.platform.log, node, everyMs: 3_600_000 });
  /** The cleanup's row of periodic_jobs, as a node left it. */
  const jobRow = (claimedBy: string | null, claimedFor: string) =>
    db().execute(sql`
      insert into periodic_jobs (name, next_run_at, claimed_by, claimed_until)
      values (${CLEANUP_JOB}, now() - interval '1 second', ${claimedBy}, now() + ${claimedFor}::interval)
      on conflict (name) do update set next_run_at = excluded.next_run_at, claimed_by = excluded.claimed_by, claimed_until = excluded.claimed_until`);
  const dueNow = () => jobRow(null, '-1 second');
  const exists = async (table: 'stories' | 'media', id: string) =>
    rowsOf(await db().execute(sql`select 1 from ${sql.raw(table)} where id = ${id}`)).length === 1;

  test('stories: the cleanup deletes expired stories kept nowhere and their unused media; keeps the archive, highlights, and media shown elsewhere', async () => {
    const [keeper, dropper] = await Promise.all([pool.member(), pool.member()]);
    await dropper.call('stories.settings', { archive: false });
    const archived = await story(keeper);
    const dropped = await story(dropper);
    const highlighted = await story(dropper);
    const sharedMedia = await story(dropper);
    const active = await story(dropper);
    const deleted = await story(keeper);
    await keeper.call('stories.delete', { storyId: deleted.id });
    await dropper.call('posts.create', { text: 'same photo', visibility: 'public', mediaIds: [sharedMedia.mediaId] });
    const highlight = Bun.randomUUIDv7();
    await db().execute(
      sql`insert into story_highlights (id, owner_id, title, position, created_at, updated_at) values (${highlight}, ${dropper.id}, 'Beach', 0, now(), now())`,
    );
    await db().execute(
      sql`insert into story_highlight_items (highlight_id, story_id, position) values (${highlight}, ${highlighted.id}, 0)`,
    );
    await db().execute(
      sql`update stories set expires_at = now() - interval '1 second' where id in (${archived.id}, ${dropped.id}, ${highlighted.id}, ${sharedMedia.id})`,
    );
    await dueNow();
    expect(await cleanup('node-a').runDue()).toBeGreaterThanOrEqual(3);
    expect(await exists('stories', archived.id)).toBe(true);
    expect(await exists('stories', highlighted.id)).toBe(true);
    expect(await exists('stories', active.id)).toBe(true);
    expect(await exists('stories', dropped.id)).toBe(false);
    expect(await exists('media', dropped.mediaId)).toBe(false);
    expect(await exists('stories', deleted.id)).toBe(false);
    expect(await exists('media', deleted.mediaId)).toBe(false);
    expect(await exists('stories', sharedMedia.id)).toBe(false);
    expect(await exists('media', sharedMedia.mediaId)).toBe(true);
    // Not due again until the period passed.
    expect(await cleanup('node-b').runDue()).toBeUndefined();
  });

  test('stories: one node runs a round; a round whose node died is picked up once its claim lapses', async () => {
    const author = await pool.member();
    await author.call('stories.settings', { archive: false });
    const made = await story(author);
    await db().execute(sql`update stories set expires_at = now() - interval '1 second' where id = ${made.id}`);
    // A node claimed the round and died: its claim still holds, so nobody else runs it.
    await jobRow('dead', '1 hour');
    expect(await cleanup('node-a').runDue()).toBeUndefined();
    expect(await exists('stories', made.id)).toBe(true);
    await db().execute(sql`update periodic_jobs set claimed_until = now() - interval '1 second' where name = ${CLEANUP_JOB}`);
    const [first, second] = await Promise.all([cleanup('node-a').runDue(), cleanup('node-b').runDue()]);
    expect([first, second].filter((ran) => ran !== undefined)).toHaveLength(1);
    expect(await exists('stories', made.id)).toBe(false);
    const [state] = rowsOf<{ claimed_by: string | null; next_run_at: Date | string }>(
      await db().execute(sql`select claimed_by, next_run_at from periodic_jobs where name = ${CLEANUP_JOB}`),
    );
    expect(state?.claimed_by).toBeNull();
    expect(new Date(state?.next_run_at as string).getTime()).toBeGreaterThan(Date.now() + 3_500_000);
  });
});

describe('stories: replies', () => {
  test('stories: a reply or a reaction lands in the one-to-one conversation with the author, quoting the story until it expires', async () => {
    const { owner, friend, stranger } = await pool.circle();
    const made = await story(owner, 'public');
    const reply = await friend.call('stories.reply', { storyId: made.id, text: 'Lovely beach!', clientId: crypto.randomUUID() });
    expect(reply).toMatchObject({
      kind: 'text',
      text: 'Lovely beach!',
      senderId: friend.id,
      story: { storyId: made.id, authorId: owner.id, kind: 'reply', mediaId: made.mediaId, expiresAt: made.expiresAt },
    });
    const clientId = crypto.randomUUID();
    const reaction = await friend.call('stories.reply', { storyId: made.id, emoji: '😍', clientId });
    expect(reaction).toMatchObject({ text: '😍', conversationId: reply.conversationId, story: { kind: 'reaction' } });
    // A retry answers the same message.
    expect((await friend.call('stories.reply', { storyId: made.id, emoji: '😍', clientId })).seq).toBe(reaction.seq);
    // The author reads them in that conversation.
    const { items } = await owner.call('chats.history', { conversationId: reply.conversationId });
    expect(items.map((message) => message.story?.storyId)).toEqual([made.id, made.id]);
    // Once the story expired, the quote stays and its picture goes.
    await db().execute(sql`update stories set expires_at = now() - interval '1 second' where id = ${made.id}`);
    await db().execute(
      sql`update messages set story = jsonb_set(story, '{expiresAt}', to_jsonb((now() - interval '1 second')::text)) where conversation_id = ${reply.conversationId}`,
    );
    const after = await owner.call('chats.history', { conversationId: reply.conversationId });
    expect(after.items.map((message) => message.story?.mediaId)).toEqual([null, null]);
    expect((await friend.refused('stories.reply', { storyId: made.id, text: 'late', clientId: crypto.randomUUID() })).code).toBe(
      'NOT_FOUND',
    );

    // The messenger's rules hold: a stranger writes into the author's requests, unless the author takes messages from nobody.
    const open = await story(owner, 'public');
    await owner.call('privacy.update', { messages: 'nobody' });
    expect((await stranger.refused('stories.reply', { storyId: open.id, text: 'hi', clientId: crypto.randomUUID() })).code).toBe(
      'MESSAGE_NOT_ALLOWED',
    );
    for (const bad of [
      { storyId: open.id, clientId: crypto.randomUUID() },
      { storyId: open.id, text: 'a', emoji: '😍', clientId: crypto.randomUUID() },
      { storyId: open.id, emoji: 'not an emoji', clientId: crypto.randomUUID() },
    ])
      expect((await friend.refused('stories.reply', bad)).code).toBe('INVALID_INPUT');
    expect((await owner.refused('stories.reply', { storyId: open.id, text: 'me', clientId: crypto.randomUUID() })).code).toBe('NOT_FOUND');
    expect(
      (await friend.refused('stories.reply', { storyId: open.id, text: 'x', clientId: crypto.randomUUID(), story: { storyId: open.id } }))
        .code,
    ).toBe('INVALID_BODY');
    // chats.send cannot forge a quote.
    expect(
      (await friend.refused('chats.send', { to: owner.id, text: 'x', clientId: crypto.randomUUID(), story: { storyId: open.id } })).code,
    ).toBe('INVALID_BODY');
  });
});

describe('stories: highlights', () => {
  test('stories: highlights keep stories past 24 hours on the profile, for their audience; edited by replacing; only the owner edits', async () => {
    const { owner, friend, stranger } = await pool.circle();
    const beach = await story(owner, 'public');
    const home = await story(owner, 'friends');
    const theirs = await story(friend, 'public');
    expect((await owner.refused('stories.saveHighlight', { title: 'Mine?', storyIds: [theirs.id] })).code).toBe('NOT_FOUND');
    expect((await owner.refused('stories.saveHighlight', { title: 'Twice', storyIds: [beach.id, beach.id] })).code).toBe('INVALID_INPUT');
    expect((await owner.refused('stories.saveHighlight', { title: 'Cover', storyIds: [beach.id], coverStoryId: home.id })).code).toBe(
      'INVALID_INPUT',
    );
    const saved = await owner.call('stories.saveHighlight', { title: ' Summer ', storyIds: [home.id, beach.id], coverStoryId: beach.id });
    expect(saved).toMatchObject({ title: 'Summer', stories: 2, cover: { storyId: beach.id, mediaId: beach.mediaId } });
    await db().execute(sql`update stories set expires_at = now() - interval '1 second' where id in (${beach.id}, ${home.id})`);
    // Past 24 hours: in the highlight, for each viewer what its audience allows.
    expect((await friend.call('stories.highlights', { userId: owner.id })).items).toMatchObject([{ id: saved.id, stories: 2 }]);
    expect((await stranger.call('stories.highlights', { userId: owner.id })).items).toMatchObject([{ id: saved.id, stories: 1 }]);
    expect((await stranger.call('stories.highlight', { highlightId: saved.id })).items.map((item) => item.id)).toEqual([beach.id]);
    expect((await friend.call('stories.highlight', { highlightId: saved.id })).items.map((item) => item.id)).toEqual([home.id, beach.id]);
    expect((await stranger.call('media.get', { ids: [beach.mediaId] })).items).toHaveLength(1);
    expect((await stranger.call('media.get', { ids: [home.mediaId] })).items).toHaveLength(0);
    // Someone else cannot change or delete it.
    expect((await friend.refused('stories.saveHighlight', { highlightId: saved.id, title: 'Mine', storyIds: [theirs.id] })).code).toBe(
      'NOT_FOUND',
    );
    expect((await friend.refused('stories.deleteHighlight', { highlightId: saved.id })).code).toBe('NOT_FOUND');
    // Replace: reorder, remove, rename.
    const second = await owner.call('stories.saveHighlight', { title: 'Pets', storyIds: [home.id] });
    expect(await owner.call('stories.saveHighlight', { highlightId: saved.id, title: 'Beach', storyIds: [beach.id] })).toMatchObject({
      title: 'Beach',
      stories: 1,
      cover: { storyId: beach.id },
    });
    expect((await owner.call('stories.highlights', { userId: owner.id })).items.map((item) => item.id)).toEqual([saved.id, second.id]);
    expect((await owner.refused('stories.orderHighlights', { highlightIds: [second.id] })).code).toBe('INVALID_INPUT');
    await owner.call('stories.orderHighlights', { highlightIds: [second.id, saved.id] });
    expect((await owner.call('stories.highlights', { userId: owner.id })).items.map((item) => item.id)).toEqual([second.id, saved.id]);
    // A block hides them; deleting one leaves its stories in the archive.
    await owner.call('blocks.block', { userId: stranger.id });
    expect((await stranger.refused('stories.highlights', { userId: owner.id })).code).toBe('NOT_FOUND');
    expect((await stranger.refused('stories.highlight', { highlightId: saved.id })).code).toBe('NOT_FOUND');
    await owner.call('stories.deleteHighlight', { highlightId: saved.id });
    expect((await owner.call('stories.archive', {})).items.map((item) => item.id)).toContain(beach.id);
    expect((await owner.call('stories.highlights', { userId: owner.id })).items.map((item) => item.id)).toEqual([second.id]);
  });
});
