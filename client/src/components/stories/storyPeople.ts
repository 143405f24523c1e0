// The people lists of one of the user's stories (who viewed it, who answered its sticker) while
// they are open: each `story.viewed` / `story.answered` for the story on the user's topic names
// someone by id only, so `people.summaries` gives their name and picture (nobody, when a block now
// stands between) and they join the top of the list, once.
import { onCleanup } from 'solid-js';
import type { CallResponse } from '../../../../protocol/catalogue.ts';
import { actions, errorText } from '../../state/store.ts';

type Person = CallResponse<'people.summaries'>['items'][number];

/** Call while the list is shown (in a component): it stops listening when the component goes. */
export function joinLive<Body extends { storyId: string }, Item>(live: {
  event: 'story.viewed' | 'story.answered';
  storyId: () => string;
  /** Whom the event names. */
  who: (body: Body) => string;
  list: { items: () => Item[]; setItems: (change: (items: Item[]) => Item[]) => unknown };
  personOf: (item: Item) => { id: string };
  itemOf: (person: Person, body: Body) => Item;
}): void {
  const listed = (items: Item[], id: string) => items.some((item) => live.personOf(item).id === id);
  onCleanup(
    actions.onUserEvent((event) => {
      if (event.name !== live.event) return;
      const body = event.body as Body;
      const id = live.who(body);
      if (body.storyId !== live.storyId() || listed(live.list.items(), id)) return;
      actions.call('people.summaries', { ids: [id] }).then(
        ({ items: [person] }) => {
          if (person === undefined) return;
          live.list.setItems((items) => (listed(items, id) ? items : [live.itemOf(person, body), ...items]));
        },
        (error: unknown) => actions.toast(errorText(error), 'error'),
      );
    }),
  );
}
