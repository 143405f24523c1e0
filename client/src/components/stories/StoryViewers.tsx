// Who viewed one of the user's stories, newest first, a page at a time, with the count; people
// who view it while the list is open join its top live (`story.viewed`, see storyPeople.ts).
import { For, type JSX, onMount } from 'solid-js';
import { formatRelative, t } from '../../i18n/index.ts';
import { actions } from '../../state/store.ts';
import { Dialog } from '../Dialog.tsx';
import { LoadMore } from '../LoadMore.tsx';
import { PersonRow } from '../Person.tsx';
import { usePages } from '../usePages.ts';
import { joinLive } from './storyPeople.ts';

type Person = Parameters<typeof PersonRow>[0]['person'];
interface Viewer {
  viewer: Person;
  viewedAt: string;
}

export function StoryViewers(props: { storyId: string; views: number; onClose: () => void }): JSX.Element {
  const pages = usePages<Viewer>(
    (cursor) => actions.call('stories.viewers', { storyId: props.storyId, cursor }),
    (item) => item.viewer.id,
  );
  onMount(() => void pages.reload());
  joinLive({
    event: 'story.viewed',
    storyId: () => props.storyId,
    who: (body: { storyId: string; viewerId: string; viewedAt: string }) => body.viewerId,
    list: pages,
    personOf: (item) => item.viewer,
    itemOf: (viewer, body) => ({ viewer, viewedAt: body.viewedAt }),
  });
  return (
    <Dialog title={t('stories.viewersTitle', { count: props.views })} onClose={props.onClose} testId="story-viewers">
      <ul class="people">
        <For each={pages.items()}>{(item) => <PersonRow person={item.viewer} detail={formatRelative(item.viewedAt)} />}</For>
      </ul>
      <LoadMore pages={pages} count={pages.items().length} empty={t('stories.noViewers')} />
    </Dialog>
  );
}
