// Friends to choose from (new group, add people): the user's friends list a page at a time, as
// checkboxes; those in `exclude` (already members) are left out. `empty` says what to do when there
// are no friends (by default: for a group).
import { For, type JSX, onMount } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { actions, state } from '../../state/store.ts';
import { LoadMore } from '../LoadMore.tsx';
import { Avatar } from '../Person.tsx';
import { usePages } from '../usePages.ts';

export function FriendPicker(props: {
  chosen: string[];
  onChange: (chosen: string[]) => void;
  exclude?: string[];
  empty?: string;
}): JSX.Element {
  const friends = usePages((cursor) => actions.call('friends.list', { userId: state.user?.id ?? '', cursor }));
  onMount(() => void friends.reload());
  const shown = () => friends.items().filter((friend) => !(props.exclude ?? []).includes(friend.id));
  const toggle = (id: string, on: boolean) =>
    props.onChange(on ? [...props.chosen.filter((each) => each !== id), id] : props.chosen.filter((each) => each !== id));
  return (
    <fieldset class="picker">
      <legend>{t('chats.pickFriends')}</legend>
      <ul class="people">
        <For each={shown()}>
          {(friend) => (
            <li class="person">
              <label class="check">
                <input
                  type="checkbox"
                  checked={props.chosen.includes(friend.id)}
                  onChange={(event) => toggle(friend.id, event.currentTarget.checked)}
                />
                <Avatar name={friend.displayName || friend.username} mediaId={friend.avatarMediaId} />
                <bdi>{friend.displayName || friend.username}</bdi>
              </label>
            </li>
          )}
        </For>
      </ul>
      <LoadMore pages={friends} count={friends.items().length} empty={props.empty ?? t('chats.noFriends')} />
    </fieldset>
  );
}
