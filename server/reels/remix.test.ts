// Sounds, duets and stitches through the protocol and the real media pipeline: a reel's own audio
// becomes an original sound others can lay under their clips; a duet and a stitch are made by the
// server from the author's clip and the original, credit it, and respect its switches, its
// audience and its author's blocks; what the calls refuse leaves nothing made.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CallRequest, CallResponse } from '../../protocol/catalogue.ts';
import { REEL_LIMITS } from '../../protocol/lists.ts';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { type Member, memberPool } from '../../test/harness/social.ts';
import { media } from '../media/schema.ts';
import { rowsOf } from '../platform/db/rows.ts';

type MediaItem = CallResponse<'media.get'>['items'][number];

let env: AccountsEnv;
let pool: ReturnType<typeof memberPool>;
let work: string;

beforeAll(async () => {
  env = await startAccountsEnv('remix', { FRIEND_REQUESTS_PER_HOUR: '1000' });
  pool = memberPool(env);
  work = `${env.node.platform.config.dataDir}/remix-clips`;
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

const db = () => env.node.platform.database.db;

/** A clip of `seconds`, 160×288, with a tone of `hz` (or silent). */
async function clip(seconds: number, hz: number | null): Promise<Uint8Array> {
  const path = `${work}/clip-${seconds}-${hz}-${crypto.randomUUID()}.mp4`;
  const audio = hz === null ? [] : ['-f', 'lavfi', '-i', `sine=frequency=${hz}:duration=${seconds}`, '-c:a', 'aac'];
  await Bun.write(`${work}/.keep`, '');
  const child = Bun.spawn(
    [
      'ffmpeg',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc=size=160x288:rate=15:duration=${seconds}`,
      ...audio,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      path,
    ],
    { stderr: 'pipe' },
  );
  if ((await child.exited) !== 0) throw new Error(`ffmpeg: ${await new Response(child.stderr).text()}`);
  return new Uint8Array(await Bun.file(path).arrayBuffer());
}

const settled = async (member: Member, id: string) =>
  (
    await member.event(
      'media.changed',
      (body) => (body.media as MediaItem).id === id && (body.media as MediaItem).status !== 'processing',
      90_000,
    )
  ).media as MediaItem;

/** A video uploaded whole and processed by the pipeline. */
async function uploaded(member: Member, kind: 'reel' | 'video', seconds: number, hz: number | null): Promise<MediaItem> {
  const form = new FormData();
  form.set('kind', kind);
  form.set('file', new Blob([(await clip(seconds, hz)) as Uint8Array<ArrayBuffer>], { type: 'video/mp4' }), 'clip.mp4');
  const sent = await env.client().request<{ media: MediaItem }>('POST', '/media', { raw: form, token: member.user.tokens.accessToken });
  expect(sent.status).toBe(201);
  const done = await settled(member, sent.body.media.id);
  expect(done.status).toBe('ready');
  return done;
}

/** A reel posted from an upload of its own. */
async function original(author: Member, extra: Record<string, unknown> = {}, hz: number | null = 880) {
  const video = await uploaded(author, 'reel', 16, hz);
  return author.call('reels.create', { mediaId: video.id, audience: 'public', ...extra });
}

/** reels.compose, then the media once made. */
async function composed(author: Member, body: CallRequest<'reels.compose'>): Promise<MediaItem> {
  const answer = await author.call('reels.compose', body);
  const made = await settled(author, answer.mediaId);
  expect(made).toMatchObject({ status: 'ready', kind: 'reel' });
  expect(Math.abs((made.durationMs ?? 0) - answer.durationMs)).toBeLessThan(400);
  return made;
}

const recipes = async (member: Member) =>
  rowsOf<{ n: number }>(
    await db().execute(sql`select count(*)::int as n from media where owner_id = ${member.id} and recipe is not null`),
  )[0]?.n;

describe('reels: sounds', () => {
  test('sounds: a reel whose audio is its own gives an original sound (named or not); a silent one has none; anyone who may see a public reel may open its sound', async () => {
    const { owner, stranger } = await pool.circle();
    const named = await original(owner, { soundTitle: 'Luna surfing' });
    expect(named.sound).toMatchObject({ title: 'Luna surfing', creator: { id: owner.id }, originReelId: named.post.id });
    expect(Math.abs((named.sound?.durationMs ?? 0) - 16_000)).toBeLessThan(400);
    const unnamed = await original(owner);
    expect(unnamed.sound).toMatchObject({ title: null, originReelId: unnamed.post.id });
    const silent = await original(owner, {}, null);
    expect(silent.sound).toBeNull();
    // A title for a sound it does not have is refused, and nothing is posted.
    const quiet = await uploaded(owner, 'reel', 16, null);
    expect((await owner.refused('reels.create', { mediaId: quiet.id, audience: 'public', soundTitle: 'nothing to hear' })).code).toBe(
      'INVALID_INPUT',
    );

    const sound = await stranger.call('sounds.get', { soundId: named.sound?.id as string });
    expect(sound).toMatchObject({ id: named.sound?.id, title: 'Luna surfing', mediaId: named.mediaId, audioFile: 'sound.m4a', reels: 1 });
    // Its audio is a file of the reel's media, which the stranger may fetch.
    const [item] = (await stranger.call('media.get', { ids: [named.mediaId] })).items;
    expect(Object.keys(item?.urls ?? {})).toContain('sound.m4a');
  }, 180_000);

  test('sounds: laid under a clip (replacing its audio), credited on the new reel; the sound page lists both reels, trending counts them; the new reel gives no sound of its own', async () => {
    const { owner, stranger } = await pool.circle();
    const first = await original(owner, { soundTitle: 'Beach waves' });
    const soundId = first.sound?.id as string;
    const clipMedia = await uploaded(stranger, 'video', 16, 440);
    const made = await composed(stranger, { clipMediaId: clipMedia.id, sound: { soundId, volume: 80 }, filter: 'warm' });
    expect(Object.keys(made.urls ?? {})).not.toContain('sound.m4a');
    const reel = await stranger.call('reels.create', { mediaId: made.id, audience: 'public', caption: '#beach' });
    expect(reel).toMatchObject({ sound: { id: soundId, title: 'Beach waves', creator: { id: owner.id } }, remix: null, filter: 'warm' });
    expect((await owner.call('sounds.get', { soundId })).reels).toBe(2);
    const page = await owner.call('sounds.reels', { soundId });
    expect(page.items.map((item) => item.post.id)).toEqual([reel.post.id, first.post.id]);
    const trending = await stranger.call('sounds.trending', { language: first.language });
    expect(trending.items.find((item) => item.id === soundId)?.reels).toBe(2);
  }, 240_000);

  test('sounds: a reel made friends-only hides its sound from everyone but its creator (not on reels made with it, not on its page, not trending, not usable)', async () => {
    const { owner, friend, stranger } = await pool.circle();
    const first = await original(owner);
    const soundId = first.sound?.id as string;
    const clipMedia = await uploaded(stranger, 'video', 16, 440);
    const made = await composed(stranger, { clipMediaId: clipMedia.id, sound: { soundId } });
    const used = await stranger.call('reels.create', { mediaId: made.id, audience: 'public' });
    await owner.call('reels.edit', { reelId: first.post.id, audience: 'friends' });
    for (const member of [friend, stranger]) {
      expect((await member.refused('sounds.get', { soundId })).code).toBe('NOT_FOUND');
      expect((await member.refused('sounds.reels', { soundId })).code).toBe('NOT_FOUND');
      expect((await member.call('reels.get', { reelId: used.post.id })).sound).toBeNull();
      expect((await member.call('sounds.trending', { language: first.language })).items.map((item) => item.id)).not.toContain(soundId);
    }
    const other = await uploaded(friend, 'video', 16, 440);
    const before = await recipes(friend);
    expect((await friend.refused('reels.compose', { clipMediaId: other.id, sound: { soundId } })).code).toBe('NOT_FOUND');
    expect(await recipes(friend)).toBe(before);
    expect((await owner.call('sounds.get', { soundId })).id).toBe(soundId);
  }, 240_000);
});

describe('reels: duets and stitches', () => {
  test('duet: the clip left and the original right, as long as the shorter, credited to the original and heard with its sound; what the original author blocks, another sees as unavailable', async () => {
    const { owner, stranger, friend } = await pool.circle();
    const first = await original(owner);
    const mine = await uploaded(stranger, 'video', 18, 440);
    const made = await composed(stranger, { clipMediaId: mine.id, duet: { reelId: first.post.id, clipVolume: 50 } });
    // Two 160×288 pictures side by side at one height.
    expect(made).toMatchObject({ width: 320, height: 288 });
    expect(Math.abs((made.durationMs ?? 0) - 16_000)).toBeLessThan(400);
    const duet = await stranger.call('reels.create', { mediaId: made.id, audience: 'public' });
    expect(duet).toMatchObject({
      remix: { kind: 'duet', reelId: first.post.id, author: { id: owner.id } },
      sound: { id: first.sound?.id },
    });
    // The friend sees the credit; once the original's author blocks them, the credit is unavailable to them.
    expect((await friend.call('reels.get', { reelId: duet.post.id })).remix).toMatchObject({ kind: 'duet', reelId: first.post.id });
    await owner.call('blocks.block', { userId: friend.id });
    const seen = await friend.call('reels.get', { reelId: duet.post.id });
    expect(seen.remix).toEqual({ kind: 'duet', unavailable: true });
    expect(seen.sound).toBeNull();
    // Nor can they open the original's sound, its page, or use it.
    const soundId = first.sound?.id as string;
    expect((await friend.refused('sounds.get', { soundId })).code).toBe('NOT_FOUND');
    expect((await friend.refused('sounds.reels', { soundId })).code).toBe('NOT_FOUND');
  }, 240_000);

  test('stitch: 1 to 5 s of the original, then the clip; credited; its audio becomes a new original sound', async () => {
    const { owner, stranger } = await pool.circle();
    const first = await original(owner);
    const mine = await uploaded(stranger, 'video', 14, 440);
    const made = await composed(stranger, { clipMediaId: mine.id, stitch: { reelId: first.post.id, startMs: 2_000, endMs: 6_000 } });
    expect(made).toMatchObject({ width: 160, height: 288 });
    expect(Math.abs((made.durationMs ?? 0) - 18_000)).toBeLessThan(400);
    const stitch = await stranger.call('reels.create', { mediaId: made.id, audience: 'public', soundTitle: 'My answer' });
    expect(stitch.remix).toMatchObject({ kind: 'stitch', reelId: first.post.id, author: { id: owner.id } });
    expect(stitch.sound).toMatchObject({ title: 'My answer', creator: { id: stranger.id }, originReelId: stitch.post.id });
  }, 240_000);

  test('remix refusals: switches off, a friends-only original, a block, someone else’s clip, two remixes at once, a stitch too long, a trim outside the clip, a result too short, extra fields: each typed, and nothing made', async () => {
    const { owner, friend, stranger } = await pool.circle();
    const closed = await original(owner, { allowDuet: false, allowStitch: false });
    const friendsOnly = await original(owner, { audience: 'friends' });
    const open = await original(owner);
    const friendClip = await uploaded(friend, 'video', 16, 440);
    const strangerClip = await uploaded(stranger, 'video', 16, 440);
    const shortClip = await uploaded(stranger, 'video', 8, 440);
    const before = { friend: await recipes(friend), stranger: await recipes(stranger) };
    const refusals: [Member, Record<string, unknown>, string][] = [
      [stranger, { clipMediaId: strangerClip.id, duet: { reelId: closed.post.id } }, 'REMIX_NOT_ALLOWED'],
      [stranger, { clipMediaId: strangerClip.id, stitch: { reelId: closed.post.id, startMs: 0, endMs: 3_000 } }, 'REMIX_NOT_ALLOWED'],
      [friend, { clipMediaId: friendClip.id, duet: { reelId: friendsOnly.post.id } }, 'REMIX_NOT_ALLOWED'],
      [stranger, { clipMediaId: strangerClip.id, duet: { reelId: friendsOnly.post.id } }, 'NOT_FOUND'],
      [stranger, { clipMediaId: friendClip.id, duet: { reelId: open.post.id } }, 'NOT_FOUND'],
      [stranger, { clipMediaId: strangerClip.id, duet: { reelId: open.post.id }, sound: { soundId: open.sound?.id } }, 'INVALID_INPUT'],
      [stranger, { clipMediaId: strangerClip.id, stitch: { reelId: open.post.id, startMs: 0, endMs: 6_000 } }, 'INVALID_INPUT'],
      [stranger, { clipMediaId: strangerClip.id, stitch: { reelId: open.post.id, startMs: 15_000, endMs: 17_000 } }, 'INVALID_INPUT'],
      [stranger, { clipMediaId: strangerClip.id, trim: { startMs: 1_000, endMs: 17_000 } }, 'INVALID_INPUT'],
      [stranger, { clipMediaId: shortClip.id }, 'INVALID_INPUT'],
      [stranger, { clipMediaId: shortClip.id, duet: { reelId: open.post.id } }, 'INVALID_INPUT'],
      // The schema's refusals: a filter that does not exist, fields it does not have (at any depth), a volume past 100.
      [stranger, { clipMediaId: strangerClip.id, filter: 'sparkles' }, 'INVALID_BODY'],
      [stranger, { clipMediaId: strangerClip.id, duet: { reelId: open.post.id, layout: 'top' } }, 'INVALID_BODY'],
      [stranger, { clipMediaId: strangerClip.id, recipe: { clip: { mediaId: friendClip.id } } }, 'INVALID_BODY'],
      [stranger, { clipMediaId: strangerClip.id, sound: { soundId: open.sound?.id, volume: 101 } }, 'INVALID_BODY'],
    ];
    for (const [member, body, code] of refusals)
      expect({ body, code: (await member.refused('reels.compose', body)).code }).toEqual({ body, code });
    await owner.call('blocks.block', { userId: stranger.id });
    expect((await stranger.refused('reels.compose', { clipMediaId: strangerClip.id, duet: { reelId: open.post.id } })).code).toBe(
      'NOT_FOUND',
    );
    expect({ friend: await recipes(friend), stranger: await recipes(stranger) }).toEqual(before);
  }, 240_000);

  test('remix: the original turning duets off between compose and posting refuses the post; the same clientId makes one media; past the hourly limit, RATE_LIMITED', async () => {
    const { owner, stranger } = await pool.circle();
    const first = await original(owner);
    const mine = await uploaded(stranger, 'video', 16, 440);
    const clientId = crypto.randomUUID();
    const body = { clipMediaId: mine.id, duet: { reelId: first.post.id }, clientId };
    const made = await composed(stranger, body);
    expect((await stranger.call('reels.compose', body)).mediaId).toBe(made.id);
    expect(await recipes(stranger)).toBe(1);
    await owner.call('reels.edit', { reelId: first.post.id, allowDuet: false });
    expect((await stranger.refused('reels.create', { mediaId: made.id, audience: 'public' })).code).toBe('REMIX_NOT_ALLOWED');
    expect(
      rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from reels where author_id = ${stranger.id}`))[0]?.n,
    ).toBe(0);

    await env.node.platform.cache.incr(`rate:reel-compose:${stranger.id}`, { ttlMs: 3_600_000, by: REEL_LIMITS.composePerHour });
    const refused = await stranger.refused('reels.compose', { clipMediaId: mine.id, filter: 'mono' });
    expect(refused.code).toBe('RATE_LIMITED');
    expect(await recipes(stranger)).toBe(1);
    const [row] = await db().select().from(media).where(eq(media.id, made.id));
    expect(row?.recipe?.credit).toEqual({ soundId: first.sound?.id, remix: { kind: 'duet', reelId: first.post.id } });
  }, 240_000);
});
