// The protocol calls of stories. Each hands the work to the stories module.
import type { HandlerMap } from '../gateway/handlers.ts';
import type { Social } from '../people/social.ts';
import { trayOf } from './tray.ts';

type StoryCall = `stories.${
  | 'create'
  | 'delete'
  | 'get'
  | 'byAuthor'
  | 'tray'
  | 'view'
  | 'viewers'
  | 'answer'
  | 'answers'
  | 'reply'
  | 'highlights'
  | 'highlight'
  | 'saveHighlight'
  | 'deleteHighlight'
  | 'orderHighlights'
  | 'archive'
  | 'hide'
  | 'mute'
  | 'settings'}`;

export function storyHandlers(social: Social): HandlerMap<StoryCall> {
  const { stories, highlights } = social;
  const me = (context: { principal: { userId: string } }) => context.principal.userId;
  return {
    'stories.create': (context, body) => stories.create(me(context), body),
    'stories.delete': async (context, body) => {
      await stories.remove(me(context), body.storyId);
      return {};
    },
    'stories.get': (context, body) => stories.get(me(context), body.storyId),
    'stories.byAuthor': (context, body) => stories.byAuthor(me(context), body.userId),
    'stories.tray': async (context) => ({ items: await trayOf(social.deps.db, me(context)) }),
    'stories.view': (context, body) => stories.markSeen(me(context), body.storyId),
    'stories.viewers': (context, body) => stories.viewers(me(context), body),
    'stories.answer': (context, body) => stories.answer(me(context), body),
    'stories.answers': (context, body) => stories.answers(me(context), body),
    'stories.reply': (context, body) => stories.reply(me(context), body, social.chats),
    'stories.highlights': (context, body) => highlights.list(me(context), body.userId),
    'stories.highlight': (context, body) => highlights.get(me(context), body.highlightId),
    'stories.saveHighlight': (context, body) => highlights.save(me(context), body),
    'stories.deleteHighlight': async (context, body) => {
      await highlights.remove(me(context), body.highlightId);
      return {};
    },
    'stories.orderHighlights': async (context, body) => {
      await highlights.order(me(context), body.highlightIds);
      return {};
    },
    'stories.archive': (context, body) => stories.archive(me(context), body.cursor),
    'stories.hide': (context, body) => stories.hide(me(context), body.userIds, body.hidden),
    'stories.mute': (context, body) => stories.mute(me(context), body.userId, body.muted),
    'stories.settings': (context, body) => stories.settings(me(context), body),
  };
}
