// The social core through the protocol: posts with mentions and hashtags, visibility on every
// read path, edits with history, shares, polls, reactions and comments with exact counters under
// concurrency, the home feed in both modes with its controls and stable pages, live events,
// trends per region, reports.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PROFILE_POSTS_COUNT_CAP } from '../../protocol/lists.ts';
import { type AccountsEnv, startAccountsEnv } from '../../test/harness/accounts.ts';
import { befriend, type Member, memberPool } from '../../test/harness/social.ts';
import { rowsOf } from '../platform/db/rows.ts';
import type { TopicLog } from '../platform/topics/index.ts';
import { Posts } from './posts.ts';
import { reports } from './schema.ts';

let env: AccountsEnv;
let pool: ReturnType<typeof memberPool>;

beforeAll(async () => {
  env = await startAccountsEnv('posts', { FRIEND_REQUESTS_PER_HOUR: '1000', REPORTS_PER_HOUR: '8' });
  pool = memberPool(env);
});
afterAll(async () => {
  pool.closeAll();
  await env.close();
});

const member = () => pool.member();

async function circle() {
  const { owner: author, ...others } = await pool.circle();
  return { author, ...others };
}

describe('posts', () => {
  test('posts: mentions and hashtags are linked; mentioned people who may see the post are notified, the others are not', async () => {
    const { author, friend, stranger } = await circle();
    const text = `Paseo con @${friend.user.username} y @${stranger.user.username} #Perros #CDMX`;
    const post = await author.call('posts.create', { text, visibility: 'friends' });
    expect(post.entities.map((entity) => [entity.type, entity.value, entity.userId])).toEqual([
      ['mention', friend.user.username, friend.id],
      ['mention', stranger.user.username, stranger.id],
      ['hashtag', 'perros', undefined],
      ['hashtag', 'cdmx', undefined],
    ]);
    const note = await friend.event('notification.new', (body) => (body.notification as { type: string }).type === 'post.mention');
    expect(note).toMatchObject({ notification: { type: 'post.mention', data: { postId: post.id }, actor: { id: author.id } } });
    expect((await stranger.call('notifications.list', {})).items).toEqual([]);
  });

  test('posts: visibility decides who gets a post, its timeline entry and its hashtag page entry', async () => {
    const { author, friend, close, stranger } = await circle();
    const made = {
      public: await author.call('posts.create', { text: 'public #visib', visibility: 'public' }),
      friends: await author.call('posts.create', { text: 'friends #visib', visibility: 'friends' }),
      close_friends: await author.call('posts.create', { text: 'close #visib', visibility: 'close_friends' }),
      private: await author.call('posts.create', { text: 'private #visib', visibility: 'private' }),
    };
    const expected = {
      stranger: ['public'],
      friend: ['public', 'friends'],
      close: ['public', 'friends', 'close_friends'],
      author: ['public', 'friends', 'close_friends', 'private'],
    };
    for (const [who, viewer] of [
      ['stranger', stranger],
      ['friend', friend],
      ['close', close],
      ['author', author],
    ] as const) {
      for (const [visibility, post] of Object.entries(made)) {
        const allowed = expected[who].includes(visibility);
        if (allowed)
          expect((await viewer.call('posts.get', { postId: post.id })).text, `${who} ${visibility}`).toContain(visibility.split('_')[0]);
        else expect((await viewer.refused('posts.get', { postId: post.id })).code, `${who} ${visibility}`).toBe('NOT_FOUND');
      }
      const timeline = await viewer.call('posts.byAuthor', { userId: author.id });
      expect(timeline.items.map((post) => post.visibility).reverse(), who).toEqual(expected[who]);
      // The profile's count is what the Posts tab lists for this viewer.
      expect((await viewer.call('profile.get', { userId: author.id })).posts, who).toBe(expected[who].length);
      const tagged = await viewer.call('hashtags.page', { tag: '#Visib' });
      expect(tagged.items.filter((post) => post.author.id === author.id).length, who).toBe(expected[who].length);
    }
    // A deleted post no longer counts.
    await author.call('posts.delete', { postId: made.public.id });
    expect((await stranger.call('profile.get', { userId: author.id })).posts).toBe(0);
    expect((await author.call('profile.get', { userId: author.id })).posts).toBe(3);
  });

  test(`posts: a profile counts posts up to PROFILE_POSTS_COUNT_CAP (${PROFILE_POSTS_COUNT_CAP}): a more prolific author shows that many`, async () => {
    const [author, viewer] = await Promise.all([member(), member()]);
    await env.node.platform.database.db.execute(sql`
      insert into posts (id, author_id, text, visibility, locale, created_at)
      select gen_random_uuid(), ${author.id}, 'bulk ' || n, 'public', 'en', now() - n * interval '1 second'
      from generate_series(1, ${PROFILE_POSTS_COUNT_CAP + 5}) as n`);
    expect((await viewer.call('profile.get', { userId: author.id })).posts).toBe(PROFILE_POSTS_COUNT_CAP);
  });

  test('posts: an edit keeps the earlier text in the history; narrowing visibility ends the live topic for who lost it', async () => {
    const { author, friend, close } = await circle();
    const post = await author.call('posts.create', { text: 'first', visibility: 'friends' });
    for (const viewer of [friend, close])
      expect((await viewer.socket.request({ type: 'sub', topic: `post:${post.id}` })).type).toBe('reply');
    const edited = await author.call('posts.edit', { postId: post.id, text: 'second' });
    expect(edited.text).toBe('second');
    expect(edited.editedAt).not.toBeNull();
    await friend.event('post.changed', (body) => body.postId === post.id);
    await author.call('posts.edit', { postId: post.id, text: 'third', visibility: 'close_friends' });
    expect(await friend.socket.next((frame) => frame.type === 'revoked')).toMatchObject({ topic: `post:${post.id}`, code: 'FORBIDDEN' });
    expect((await close.call('posts.history', { postId: post.id })).items.map((item) => item.text)).toEqual(['first', 'second']);
    expect((await friend.refused('posts.history', { postId: post.id })).code).toBe('NOT_FOUND');
    expect((await friend.refused('posts.edit', { postId: post.id, text: 'mine' })).code).toBe('NOT_FOUND');
  });

  test('posts: a share carries a comment and counts on the original; once the original is private or deleted, shares show it unavailable', async () => {
    const { author, friend } = await circle();
    const original = await author.call('posts.create', { text: 'Adopt Max!', visibility: 'public' });
    const share = await friend.call('posts.create', { text: 'Please help', visibility: 'public', sharedPostId: original.id });
    expect(share.shared).toMatchObject({ id: original.id, text: 'Adopt Max!' });
    expect((await author.call('posts.get', { postId: original.id })).shares).toBe(1);
    expect(await author.event('notification.new', (body) => (body.notification as { type: string }).type === 'post.share')).toBeDefined();
    await author.call('posts.edit', { postId: original.id, visibility: 'private' });
    expect((await friend.call('posts.get', { postId: share.id })).shared).toEqual({ unavailable: true });
    expect((await author.call('posts.get', { postId: share.id })).shared).toMatchObject({ id: original.id });
    await author.call('posts.delete', { postId: original.id });
    expect((await author.call('posts.get', { postId: share.id })).shared).toEqual({ unavailable: true });
    expect((await author.refused('posts.get', { postId: original.id })).code).toBe('NOT_FOUND');
  });

  test("posts: a post as one's own pet shows the pet and lists on the pet's timeline; another's pet is refused", async () => {
    const [owner, other] = await Promise.all([member(), member()]);
    const pet = await owner.call('pets.create', { name: 'Luna', species: 'dog' });
    const post = await owner.call('posts.create', { text: 'Woof', visibility: 'public', petId: pet.id, place: { name: 'Parque México' } });
    expect(post).toMatchObject({ pet: { id: pet.id, name: 'Luna' }, place: { name: 'Parque México', latitude: null, longitude: null } });
    await owner.call('posts.create', { text: 'Just me', visibility: 'public' });
    expect((await other.call('posts.byAuthor', { userId: owner.id, petId: pet.id })).items.map((item) => item.id)).toEqual([post.id]);
    expect((await other.refused('posts.create', { text: 'Not mine', visibility: 'public', petId: pet.id })).code).toBe('NOT_FOUND');
  });

  test('posts: bad posts are refused with their field, and nothing is stored', async () => {
    const me = await member();
    const soon = new Date(Date.now() + 60_000).toISOString();
    const cases: [Record<string, unknown>, string, string | undefined][] = [
      [{ text: '  ', visibility: 'public' }, 'INVALID_INPUT', 'text'],
      [{ text: 'x', visibility: 'everyone' }, 'INVALID_BODY', 'visibility'],
      [{ text: 'bell\u0007', visibility: 'public' }, 'INVALID_INPUT', 'text'],
      [{ text: 'x', visibility: 'public', poll: { options: ['a'], multiple: false } }, 'INVALID_BODY', 'poll.options'],
      [{ text: 'x', visibility: 'public', poll: { options: ['a', 'A'], multiple: false } }, 'INVALID_INPUT', 'poll.options'],
      [
        { text: 'x', visibility: 'public', poll: { options: ['a', 'b'], multiple: false, closesAt: soon } },
        'INVALID_INPUT',
        'poll.closesAt',
      ],
      [{ text: 'x', visibility: 'public', petId: '0192a1b2-1111-7000-8000-00000000beef' }, 'NOT_FOUND', undefined],
      [{ text: 'x', visibility: 'public', place: { name: 'Park', latitude: 10 } }, 'INVALID_INPUT', 'place.latitude'],
      [{ text: 'x'.repeat(5001), visibility: 'public' }, 'INVALID_BODY', 'text'],
    ];
    for (const [body, code, field] of cases) {
      const refused = await me.refused('posts.create', body);
      expect(refused.code, JSON.stringify(body).slice(0, 80)).toBe(code);
      if (field !== undefined) expect(refused.details?.field, JSON.stringify(body).slice(0, 80)).toBe(field);
    }
    expect((await me.call('posts.byAuthor', { userId: me.id })).items).toEqual([]);
  });

  test('polls: one vote per person, single or multiple choice, changeable and withdrawable, with live results', async () => {
    const { author, friend, close } = await circle();
    const single = await author.call('posts.create', {
      text: 'Park or beach?',
      visibility: 'friends',
      poll: { options: ['Park', 'Beach'], multiple: false },
    });
    expect((await friend.socket.request({ type: 'sub', topic: `post:${single.id}` })).type).toBe('reply');
    expect(await friend.call('posts.vote', { postId: single.id, positions: [0] })).toMatchObject({ myVotes: [0], voters: 1 });
    expect(await friend.event('poll.results')).toEqual({ postId: single.id, options: [1, 0], voters: 1 });
    await close.call('posts.vote', { postId: single.id, positions: [1] });
    const changed = await friend.call('posts.vote', { postId: single.id, positions: [1] });
    expect(changed.options.map((option) => option.votes)).toEqual([0, 2]);
    expect((await friend.refused('posts.vote', { postId: single.id, positions: [0, 1] })).code).toBe('INVALID_INPUT');
    expect((await friend.refused('posts.vote', { postId: single.id, positions: [5] })).code).toBe('INVALID_INPUT');
    expect(await friend.call('posts.vote', { postId: single.id, positions: [] })).toMatchObject({ myVotes: [], voters: 1 });
    const multiple = await author.call('posts.create', {
      text: 'Toys?',
      visibility: 'friends',
      poll: { options: ['Ball', 'Rope', 'Bone'], multiple: true },
    });
    expect((await friend.call('posts.vote', { postId: multiple.id, positions: [0, 2] })).options.map((option) => option.votes)).toEqual([
      1, 0, 1,
    ]);
    await env.node.platform.database.db.execute(
      sql`update polls set closes_at = now() - interval '1 minute' where post_id = ${multiple.id}`,
    );
    expect((await close.refused('posts.vote', { postId: multiple.id, positions: [1] })).code).toBe('POLL_CLOSED');
    expect((await close.call('posts.get', { postId: multiple.id })).poll).toMatchObject({ closed: true, voters: 1 });
  });

  test('counters: under concurrent reacting, changing and removing, commenting and deleting by many people, counters equal the rows they count', async () => {
    const author = await member();
    const people = await Promise.all(Array.from({ length: 12 }, () => member()));
    const post = await author.call('posts.create', { text: 'React!', visibility: 'public' });
    const comment = await author.call('comments.add', { postId: post.id, text: 'First' });
    const kinds = ['like', 'love', 'haha', 'wow', 'sad', 'angry', null] as const;
    await Promise.all(
      people.flatMap((person, index) =>
        [0, 1, 2].flatMap((round) => [
          person.call('posts.react', { postId: post.id, kind: kinds[(index + round) % kinds.length] as never }),
          person.call('comments.react', { commentId: comment.id, kind: kinds[(index * 2 + round) % kinds.length] as never }),
        ]),
      ),
    );
    const db = env.node.platform.database.db;
    for (const [kind, id, table] of [
      ['post', post.id, 'posts'],
      ['comment', comment.id, 'comments'],
    ] as const) {
      const counted = rowsOf<{ kind: string; n: number }>(
        await db.execute(
          sql`select kind, count(*)::int as n from reactions where target_kind = ${kind} and target_id = ${id} group by kind`,
        ),
      );
      const [row] = rowsOf<Record<string, number>>(await db.execute(sql`select * from ${sql.raw(table)} where id = ${id}`));
      for (const reaction of ['like', 'love', 'haha', 'wow', 'sad', 'angry'])
        expect(row?.[`${reaction}_count`], `${kind} ${reaction}`).toBe(counted.find((entry) => entry.kind === reaction)?.n ?? 0);
    }
    // Comments and answers added and deleted at once: the post's and the parent's counters match the rows.
    const added = await Promise.all(
      people.map((person, index) =>
        person.call('comments.add', { postId: post.id, ...(index % 2 === 0 ? { parentId: comment.id } : {}), text: `c${index}` }),
      ),
    );
    await Promise.all(
      added
        .filter((_, index) => index % 3 === 0)
        .map((made, index) => (people[index * 3] as Member).call('comments.delete', { commentId: made.id })),
    );
    const [live] = rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from comments where post_id = ${post.id} and deleted_at is null`),
    );
    const [answers] = rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from comments where parent_id = ${comment.id} and deleted_at is null`),
    );
    expect((await author.call('posts.get', { postId: post.id })).comments).toBe(live?.n);
    expect((await author.call('comments.get', { commentId: comment.id })).replies).toBe(answers?.n);
    const view = await author.call('posts.get', { postId: post.id });
    const total = Object.values(view.reactions).reduce((sum, n) => sum + n, 0);
    expect((await author.call('posts.reactions', { postId: post.id })).items).toHaveLength(Math.min(total, 20));
    // One notification per person who reacted at all, not one per change.
    const reacted = (await author.call('notifications.list', {})).items.filter((item) => item.type === 'post.reaction');
    expect(new Set(reacted.map((item) => item.actor?.id)).size).toBe(reacted.length);
  });

  test('comments: nest three levels, no deeper; a deleted comment with answers stays as a placeholder; counts follow; live events carry ids', async () => {
    const { author, friend, close } = await circle();
    const post = await author.call('posts.create', { text: 'Thread', visibility: 'friends' });
    expect((await close.socket.request({ type: 'sub', topic: `post:${post.id}` })).type).toBe('reply');
    const one = await friend.call('comments.add', { postId: post.id, text: 'one' });
    expect(await close.event('comment.added')).toEqual({ postId: post.id, commentId: one.id, parentId: null });
    expect(await author.event('notification.new', (body) => (body.notification as { type: string }).type === 'post.comment')).toBeDefined();
    const two = await close.call('comments.add', { postId: post.id, parentId: one.id, text: 'two' });
    expect(
      await friend.event('notification.new', (body) => (body.notification as { type: string }).type === 'comment.reply'),
    ).toBeDefined();
    const three = await author.call('comments.add', { postId: post.id, parentId: two.id, text: 'three' });
    expect(three.depth).toBe(3);
    expect((await friend.refused('comments.add', { postId: post.id, parentId: three.id, text: 'four' })).code).toBe('TOO_DEEP');
    expect((await author.call('posts.get', { postId: post.id })).comments).toBe(3);
    const lonely = await close.call('comments.add', { postId: post.id, text: 'soon gone' });
    await close.call('comments.delete', { commentId: lonely.id });
    expect((await close.refused('comments.get', { commentId: lonely.id })).code).toBe('NOT_FOUND');
    await friend.call('comments.delete', { commentId: one.id });
    const top = await close.call('comments.list', { postId: post.id });
    expect(top.items).toEqual([expect.objectContaining({ id: one.id, deleted: true, text: '', author: null, replies: 1 })]);
    expect((await close.call('comments.list', { postId: post.id, parentId: one.id })).items.map((c) => c.text)).toEqual(['two']);
    expect((await author.call('posts.get', { postId: post.id })).comments).toBe(2);
    // The post's author may delete any comment on it; others may not.
    expect((await friend.refused('comments.delete', { commentId: two.id })).code).toBe('NOT_FOUND');
    await author.call('comments.delete', { commentId: three.id });
    expect((await close.call('comments.get', { commentId: two.id })).replies).toBe(0);
    expect((await friend.refused('comments.edit', { commentId: two.id, text: 'hijack' })).code).toBe('NOT_FOUND');
    expect((await close.call('comments.edit', { commentId: two.id, text: 'two, edited' })).editedAt).not.toBeNull();
  });

  test('block: posts, comments and reactions of a blocked person disappear for the blocker, and the other way round', async () => {
    const [author, troll, reader] = await Promise.all([member(), member(), member()]);
    const post = await author.call('posts.create', { text: 'Public post', visibility: 'public' });
    const trollPost = await troll.call('posts.create', { text: 'Troll post #visible', visibility: 'public' });
    await troll.call('comments.add', { postId: post.id, text: 'meh' });
    await troll.call('posts.react', { postId: post.id, kind: 'angry' });
    await reader.call('posts.react', { postId: post.id, kind: 'love' });
    await author.call('blocks.block', { userId: troll.id });
    expect((await author.call('comments.list', { postId: post.id })).items).toEqual([]);
    expect((await author.call('posts.reactions', { postId: post.id })).items.map((item) => item.person.id)).toEqual([reader.id]);
    expect((await author.refused('posts.get', { postId: trollPost.id })).code).toBe('NOT_FOUND');
    expect((await troll.refused('posts.get', { postId: post.id })).code).toBe('NOT_FOUND');
    expect((await troll.refused('comments.add', { postId: post.id, text: 'again' })).code).toBe('NOT_FOUND');
    expect((await author.call('hashtags.page', { tag: 'visible' })).items.map((item) => item.id)).not.toContain(trollPost.id);
    expect((await reader.call('comments.list', { postId: post.id })).items).toHaveLength(1);
  });

  test('feed: own posts, friends and follows (public posts only); never strangers, muted people or hidden posts; new posts arrive live', async () => {
    const [me, friend, followed, stranger] = await Promise.all([member(), member(), member(), member()]);
    await befriend(env.node, me, friend);
    await me.call('follows.follow', { userId: followed.id });
    expect((await me.socket.request({ type: 'sub', topic: `feed:${me.id}` })).type).toBe('reply');
    const mine = await me.call('posts.create', { text: 'mine', visibility: 'private' });
    const fromFriend = await friend.call('posts.create', { text: 'friend', visibility: 'friends' });
    expect(await me.event('feed.post', (body) => body.postId === fromFriend.id)).toEqual({ postId: fromFriend.id, authorId: friend.id });
    const followedPublic = await followed.call('posts.create', { text: 'followed public', visibility: 'public' });
    await followed.call('posts.create', { text: 'followed friends-only', visibility: 'friends' });
    await stranger.call('posts.create', { text: 'stranger', visibility: 'public' });
    const ids = async () => (await me.call('feed.home', { mode: 'chronological' })).items.map((item) => item.post.id);
    expect(await ids()).toEqual([followedPublic.id, fromFriend.id, mine.id]);
    await me.call('feed.mute', { userId: followed.id, muted: true });
    await me.call('feed.hide', { postId: fromFriend.id, hidden: true });
    expect(await ids()).toEqual([mine.id]);
    expect((await me.call('feed.home', { mode: 'ranked' })).items.map((item) => item.post.id)).toEqual([mine.id]);
    expect(await me.call('feed.controls', {})).toMatchObject({ muted: [{ id: followed.id }], hiddenPosts: 1 });
    await me.call('feed.mute', { userId: followed.id, muted: false });
    await me.call('feed.hide', { postId: fromFriend.id, hidden: false });
    expect(await ids()).toEqual([followedPublic.id, fromFriend.id, mine.id]);
  });

  test("feed: a new post is answered without waiting for its audience's feeds to hear of it; each hears of it once the fan-out is done", async () => {
    const [author, friend] = await Promise.all([member(), member()]);
    await befriend(env.node, author, friend);
    await friend.follow(`feed:${friend.id}`);
    const { deps, trends } = env.node.social;
    // The node's own log, with writes to feed topics held until the test lets them through.
    const gate = Promise.withResolvers<void>();
    const written: string[] = [];
    const topics: TopicLog = {
      ...deps.topics,
      publish: async (topic, name, body, options) => {
        if (topic.startsWith('feed:')) await gate.promise;
        written.push(topic);
        return deps.topics.publish(topic, name, body, options);
      },
    };
    const posts = new Posts({ ...deps, topics }, trends);
    const post = await posts.create(author.id, { text: 'Luna en el parque', visibility: 'friends' });
    expect(written).toEqual([]);
    gate.resolve();
    await posts.settled();
    expect(written.sort()).toEqual([`feed:${author.id}`, `feed:${friend.id}`].sort());
    expect(await friend.event('feed.post', (body) => body.postId === post.id)).toEqual({ postId: post.id, authorId: author.id });
  });

  test('feed: pages of 20 never repeat or skip a post while new posts arrive, in both modes', async () => {
    const [me, friend] = await Promise.all([member(), member()]);
    await befriend(env.node, me, friend);
    const made: string[] = [];
    for (let i = 0; i < 45; i++) made.push((await friend.call('posts.create', { text: `post ${i}`, visibility: 'friends' })).id);
    for (const mode of ['chronological', 'ranked'] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let page = 0;
      do {
        const result = await me.call('feed.home', { mode, ...(cursor === undefined ? {} : { cursor }) });
        seen.push(...result.items.map((item) => item.post.id));
        cursor = result.nextCursor ?? undefined;
        // Between pages: new posts and new reactions arrive.
        await friend.call('posts.create', { text: `new during ${mode} page ${page++}`, visibility: 'friends' });
        await me.call('posts.react', { postId: made[page * 7] as string, kind: 'love' });
      } while (cursor !== undefined);
      expect(new Set(seen).size, mode).toBe(seen.length);
      expect([...seen].sort(), mode).toEqual(expect.arrayContaining([...made].sort()));
      if (mode === 'chronological') expect(seen.slice(0, 45), mode).toEqual([...made].reverse());
    }
  }, 60_000);

  test('feed ranked: each item says why; closeness and engagement lift a post; less of a topic sinks it', async () => {
    const [me, close, friend] = await Promise.all([member(), member(), member()]);
    await befriend(env.node, me, close);
    await befriend(env.node, me, friend);
    await me.call('friends.setClose', { userId: close.id, close: true });
    // The close friend posts first: closeness, not recency, puts it on top.
    const fromClose = await close.call('posts.create', { text: 'close one', visibility: 'friends' });
    const plain = await friend.call('posts.create', { text: 'plain', visibility: 'friends' });
    const cats = await friend.call('posts.create', { text: 'my cat #gatos', visibility: 'friends' });
    const ranked = async () => (await me.call('feed.home', { mode: 'ranked' })).items;
    let items = await ranked();
    expect(items[0]?.post.id).toBe(fromClose.id);
    expect(items[0]?.why).toMatchObject({ relation: 'close_friend', topicWeight: 1, lessOf: [] });
    await me.call('feed.lessOf', { tag: '#Gatos', less: true });
    items = await ranked();
    expect(items.at(-1)?.post.id).toBe(cats.id);
    expect(items.at(-1)?.why).toMatchObject({ topicWeight: 0.25, lessOf: ['gatos'] });
    await me.call('posts.react', { postId: plain.id, kind: 'like' });
    await me.call('comments.add', { postId: plain.id, text: 'nice' });
    items = await ranked();
    expect(items.find((item) => item.post.id === plain.id)?.why?.engagement).toBe(3);
    expect((await me.call('feed.controls', {})).lessOf).toEqual(['gatos']);
    expect((await me.refused('feed.home', { mode: 'ranked', cursor: 'WyJ4Il0' })).code).toBe('INVALID_CURSOR');
  });

  test('hashtags: public posts trend in their region (locale and language), friends-only ones do not', async () => {
    const [mx, es, br] = await Promise.all([member(), member(), member()]);
    await mx.call('profile.update', { locale: 'es-MX' });
    await es.call('profile.update', { locale: 'es-ES' });
    await br.call('profile.update', { locale: 'pt-BR' });
    const tag = `xolo${Date.now().toString(36)}`;
    await mx.call('posts.create', { text: `#${tag}`, visibility: 'public' });
    await mx.call('posts.create', { text: `#${tag} #secret${tag}`, visibility: 'friends' });
    await es.call('posts.create', { text: `#${tag}`, visibility: 'public' });
    const scoreIn = async (region?: string) =>
      (await mx.call('hashtags.trending', { ...(region === undefined ? {} : { region }), limit: 50 })).items.find(
        (item) => item.tag === tag,
      )?.score ?? 0;
    expect(await scoreIn()).toBeGreaterThan(0.9);
    expect(await scoreIn('es-MX')).toBeLessThan(1.1);
    expect(await scoreIn('es')).toBeGreaterThan(1.9);
    expect(await scoreIn('pt-BR')).toBe(0);
    expect((await mx.call('hashtags.trending', { region: 'es', limit: 50 })).items.map((item) => item.tag)).not.toContain(`secret${tag}`);
    expect((await mx.refused('hashtags.trending', { region: 'Spain' })).code).toBe('INVALID_INPUT');
    // Everywhere counts every public post; a region with nothing trending falls back to it.
    expect(
      (await br.call('hashtags.trending', { region: 'all', limit: 50 })).items.find((item) => item.tag === tag)?.score,
    ).toBeGreaterThan(1.9);
    const brazil = await br.call('hashtags.trending', { limit: 50 });
    expect(brazil.region).toBe('all');
    expect(brazil.items.map((item) => item.tag)).toContain(tag);
    expect((await br.call('hashtags.trending', { region: 'pt-BR' })).items).toEqual([]);
    // Made private, then deleted: the posts stop counting.
    const fading = await es.call('posts.create', { text: `#fade${tag}`, visibility: 'public' });
    const fadeScore = async () =>
      (await mx.call('hashtags.trending', { region: 'es', limit: 50 })).items.find((item) => item.tag === `fade${tag}`)?.score ?? 0;
    expect(await fadeScore()).toBeGreaterThan(0.9);
    await es.call('posts.edit', { postId: fading.id, visibility: 'private' });
    expect(await fadeScore()).toBe(0);
    await es.call('posts.edit', { postId: fading.id, visibility: 'public' });
    expect(await fadeScore()).toBeGreaterThan(0.9);
    await es.call('posts.delete', { postId: fading.id });
    expect(await fadeScore()).toBe(0);
  });

  test('reports: stored with reason and note, once per person and target; only what you may see can be reported', async () => {
    const { author, friend, stranger } = await circle();
    const post = await author.call('posts.create', { text: 'Selling puppies', visibility: 'friends' });
    const first = await friend.call('reports.create', { targetKind: 'post', targetId: post.id, reason: 'scam', note: 'No papers' });
    const again = await friend.call('reports.create', { targetKind: 'post', targetId: post.id, reason: 'spam' });
    expect(again).toEqual({ id: first.id, alreadyReported: true });
    expect(first.alreadyReported).toBe(false);
    expect((await stranger.refused('reports.create', { targetKind: 'post', targetId: post.id, reason: 'spam' })).code).toBe('NOT_FOUND');
    const rows = await env.node.platform.database.db.select().from(reports).where(eq(reports.targetId, post.id));
    expect(rows).toEqual([expect.objectContaining({ reporterId: friend.id, reason: 'scam', note: 'No papers', status: 'open' })]);
  });

  test('reports: a person can be reported, once while open, also after blocking them; not oneself, not someone who blocked you, not an unknown id', async () => {
    const [reporter, target, blocker] = await Promise.all([member(), member(), member()]);
    const first = await reporter.call('reports.create', { targetKind: 'user', targetId: target.id, reason: 'harassment', note: 'Insults' });
    expect(first.alreadyReported).toBe(false);
    await reporter.call('blocks.block', { userId: target.id });
    expect(await reporter.call('reports.create', { targetKind: 'user', targetId: target.id, reason: 'spam' })).toEqual({
      id: first.id,
      alreadyReported: true,
    });
    const self = await reporter.refused('reports.create', { targetKind: 'user', targetId: reporter.id, reason: 'spam' });
    expect(self).toMatchObject({ code: 'INVALID_INPUT', details: { field: 'targetId' } });
    await blocker.call('blocks.block', { userId: reporter.id });
    expect((await reporter.refused('reports.create', { targetKind: 'user', targetId: blocker.id, reason: 'spam' })).code).toBe('NOT_FOUND');
    expect((await reporter.refused('reports.create', { targetKind: 'user', targetId: crypto.randomUUID(), reason: 'spam' })).code).toBe(
      'NOT_FOUND',
    );
    expect((await reporter.refused('reports.create', { targetKind: 'pet', targetId: target.id, reason: 'spam' })).code).toBe(
      'INVALID_BODY',
    );
    const rows = await env.node.platform.database.db.select().from(reports).where(eq(reports.reporterId, reporter.id));
    expect(rows).toEqual([expect.objectContaining({ targetKind: 'user', targetId: target.id, reason: 'harassment', note: 'Insults' })]);
  });

  test('reports: each user sends at most REPORTS_PER_HOUR reports (8 here); past it RATE_LIMITED with retryAfterMs, nothing stored; others unaffected', async () => {
    const [flooder, other] = await Promise.all([member(), member()]);
    const targets = await Promise.all(Array.from({ length: 9 }, () => member()));
    for (const target of targets.slice(0, 8))
      await flooder.call('reports.create', { targetKind: 'user', targetId: target.id, reason: 'spam' });
    const refused = await flooder.refused('reports.create', { targetKind: 'user', targetId: targets[8]?.id, reason: 'spam' });
    expect(refused.code).toBe('RATE_LIMITED');
    expect(refused.details?.retryAfterMs).toBeGreaterThan(0);
    const rows = await env.node.platform.database.db.select().from(reports).where(eq(reports.reporterId, flooder.id));
    expect(rows).toHaveLength(8);
    expect(
      (await other.call('reports.create', { targetKind: 'user', targetId: targets[8]?.id as string, reason: 'spam' })).alreadyReported,
    ).toBe(false);
  });
});
