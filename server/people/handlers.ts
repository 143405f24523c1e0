// The protocol calls of people, pets, the graph and notifications: each checks nothing the
// gateway already checked (role, body schema) and hands the work to its module.
import { and } from 'drizzle-orm';
import type { UserMessage } from '../../actors/user.ts';
import type { CallResponse } from '../../protocol/catalogue.ts';
import { users } from '../accounts/schema.ts';
import { emit } from '../events.ts';
import type { HandlerMap } from '../gateway/handlers.ts';
import { blocksList, followsList, friendsList, pendingRequests } from '../graph/lists.ts';
import { notBlockedWith } from '../graph/relations.ts';
import { suggestions } from '../graph/suggestions.ts';
import { petSuggestions } from '../pets/suggestions.ts';
import { anyOf } from '../platform/db/any-of.ts';
import { announceAccessChange } from './context.ts';
import { privacyOf, updatePrivacy } from './privacy.ts';
import { getProfile, searchPeople, updateProfile } from './profiles.ts';
import type { Social } from './social.ts';
import { selectSummaries, toSummary } from './summaries.ts';

type SocialCall =
  | `profile.${'get' | 'update' | 'setVerified'}`
  | 'people.search'
  | 'people.summaries'
  | `privacy.${'get' | 'update'}`
  | `pets.${'create' | 'update' | 'delete' | 'get' | 'list' | 'suggestions'}`
  | `friends.${'request' | 'accept' | 'decline' | 'cancel' | 'remove' | 'setClose' | 'list' | 'requests' | 'suggestions'}`
  | `follows.${'follow' | 'unfollow' | 'list'}`
  | `blocks.${'block' | 'unblock' | 'list'}`
  | `notifications.${'list' | 'markRead' | 'markAllRead' | 'getPreferences' | 'setPreference'}`
  | `push.${'getKey' | 'subscribe' | 'unsubscribe'}`
  | `places.${'search' | 'reverse'}`;

export function socialHandlers(social: Social): HandlerMap<SocialCall> {
  const { deps, graph, pets, notifier } = social;
  const me = (context: { principal: { userId: string } }) => context.principal.userId;
  const unread = async (userId: string, message: UserMessage) =>
    (await deps.actors.ask('user', userId, message)) as CallResponse<'notifications.markRead'>;
  return {
    'profile.get': (context, body) => getProfile(deps, me(context), body),
    'profile.update': (context, body) => updateProfile(deps, me(context), body),
    'profile.setVerified': (context, body) => social.verification.setDirectly(body.userId, body.verified, me(context)),
    'people.search': (context, body) => searchPeople(deps, me(context), body),
    'places.search': (context, body) => social.places.search(me(context), body),
    'places.reverse': (context, body) => social.places.reverse(me(context), body),
    'people.summaries': async (context, body) => {
      const rows = await selectSummaries(deps.db).where(and(anyOf(users.id, body.ids), notBlockedWith(me(context), users.id)));
      return { items: rows.map(toSummary) };
    },
    'privacy.get': (context) => privacyOf(deps.db, me(context)),
    'privacy.update': async (context, body) => {
      const userId = me(context);
      const settings = await updatePrivacy(deps.db, userId, body);
      announceAccessChange(deps, userId);
      await emit(deps, 'profile', userId, 'profile.changed', { userId, at: Date.now() });
      return settings;
    },
    'pets.create': (context, body) => pets.create(me(context), body),
    'pets.update': (context, body) => pets.update(me(context), body),
    'pets.delete': (context, body) => pets.remove(me(context), body.petId),
    'pets.get': (context, body) => pets.get(me(context), body.petId),
    'pets.list': (context, body) => pets.list(me(context), body),
    'pets.suggestions': (context, body) => petSuggestions(deps, me(context), body.limit),
    'friends.request': (context, body) => graph.request(me(context), body.userId),
    'friends.accept': (context, body) => graph.accept(me(context), body.userId),
    'friends.decline': (context, body) => graph.decline(me(context), body.userId),
    'friends.cancel': (context, body) => graph.cancel(me(context), body.userId),
    'friends.remove': (context, body) => graph.remove(me(context), body.userId),
    'friends.setClose': (context, body) => graph.setClose(me(context), body.userId, body.close),
    'friends.list': (context, body) => friendsList(deps, me(context), body),
    'friends.requests': (context, body) => pendingRequests(deps, me(context), body),
    'friends.suggestions': (context, body) => suggestions(deps, me(context), body.limit),
    'follows.follow': (context, body) => graph.follow(me(context), body.userId),
    'follows.unfollow': (context, body) => graph.unfollow(me(context), body.userId),
    'follows.list': (context, body) => followsList(deps, me(context), body),
    'blocks.block': (context, body) => graph.block(me(context), body.userId),
    'blocks.unblock': (context, body) => graph.unblock(me(context), body.userId),
    'blocks.list': (context, body) => blocksList(deps, me(context), body),
    'notifications.list': (context, body) => notifier.list(me(context), body),
    'notifications.markRead': (context, body) => unread(me(context), { op: 'markRead', ids: body.ids }),
    'notifications.markAllRead': (context) => unread(me(context), { op: 'markAllRead' }),
    'notifications.getPreferences': (context) => notifier.preferences(me(context)),
    'notifications.setPreference': (context, body) => notifier.setPreference(me(context), body),
    'push.getKey': async () => ({ publicKey: notifier.push.publicKey }),
    'push.subscribe': (context, body) => notifier.push.subscribe(me(context), body),
    'push.unsubscribe': async (context, body) => {
      await notifier.push.unsubscribe(me(context), body.endpoint);
      return {};
    },
  };
}
