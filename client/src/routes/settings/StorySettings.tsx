// /settings/stories: the author's story settings (`stories.settings`). Keeping stories in the
// archive is a switch saved at once (it goes back with a toast if the server refuses); "Hide my
// story from" lists the people hidden (the first 100, with the count), each shown again with one
// button, and more are added from the user's friends (`stories.hide`); "Muted stories" lists the
// people left out of the user's tray, each unmuted with one button (`stories.mute`). Showing and
// unmuting are optimistic. A link leads to the archive.
import { Archive, UserPlus } from 'lucide-solid';
import { createSignal, For, type JSX, onMount, Show } from 'solid-js';
import type { CallResponse } from '../../../../protocol/catalogue.ts';
import { FriendPicker } from '../../components/chat/FriendPicker.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { CheckField } from '../../components/Field.tsx';
import { ErrorAlert } from '../../components/FormFooter.tsx';
import { PersonRow } from '../../components/Person.tsx';
import { SettingsNav } from '../../components/SettingsNav.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { useSubmit } from '../../components/useSubmit.ts';
import { t } from '../../i18n/index.ts';
import { actions, errorText } from '../../state/store.ts';

type Settings = CallResponse<'stories.settings'>;
type Person = Settings['hidden'][number];
/** `stories.hide` takes this many people per call. */
const HIDE_BATCH = 100;

/** Friends to hide the user's stories from: picked, then hidden in one go. */
function HideDialog(props: { exclude: string[]; onClose: () => void; onHidden: () => void }): JSX.Element {
  const [chosen, setChosen] = createSignal<string[]>([]);
  const { busy, error, submit } = useSubmit(async () => {
    for (let from = 0; from < chosen().length; from += HIDE_BATCH)
      await actions.call('stories.hide', { userIds: chosen().slice(from, from + HIDE_BATCH), hidden: true });
    props.onHidden();
  });
  return (
    <Dialog title={t('storySettings.hidden')} onClose={props.onClose} testId="story-hide">
      <form class="stack" onSubmit={submit}>
        <FriendPicker chosen={chosen()} onChange={setChosen} exclude={props.exclude} empty={t('friends.none')} />
        <ErrorAlert text={error()} />
        <Button type="submit" disabled={busy() || chosen().length === 0}>
          {t('storySettings.hide', { count: chosen().length })}
        </Button>
      </form>
    </Dialog>
  );
}

/** The two lists of people, and what each says and does. */
const LISTS = {
  hidden: {
    title: 'storySettings.hidden',
    help: 'storySettings.hiddenHelp',
    empty: 'storySettings.noHidden',
    action: 'storySettings.show',
    done: 'storySettings.shown',
  },
  muted: {
    title: 'storySettings.muted',
    help: 'storySettings.mutedHelp',
    empty: 'storySettings.noMuted',
    action: 'storySettings.unmute',
    done: 'storySettings.unmuted',
  },
} as const;
type List = keyof typeof LISTS;
const COUNT_OF = { hidden: 'hiddenCount', muted: 'mutedCount' } as const;

/** One of the two lists: its title and count, what it means, and one button per person. */
function PeopleList(props: {
  list: List;
  settings: Settings;
  onAction: (list: List, person: Person) => void;
  children?: JSX.Element;
}): JSX.Element {
  const text = () => LISTS[props.list];
  const id = () => `story-${props.list}`;
  return (
    <section class="story-settings-part" aria-labelledby={`${id()}-title`}>
      <div class="row spread">
        <h2 id={`${id()}-title`}>{t(text().title)}</h2>
        <span class="hint" data-testid={`${id()}-count`}>
          {t('storySettings.people', { count: props.settings[COUNT_OF[props.list]] })}
        </span>
      </div>
      <p class="hint">{t(text().help)}</p>
      {props.children}
      <ul class="people" data-testid={id()}>
        <For each={props.settings[props.list]} fallback={<li class="hint">{t(text().empty)}</li>}>
          {(person) => (
            <PersonRow person={person}>
              <Button variant="secondary" size="sm" onClick={() => props.onAction(props.list, person)}>
                {t(text().action)}
              </Button>
            </PersonRow>
          )}
        </For>
      </ul>
    </section>
  );
}

export default function StorySettings(): JSX.Element {
  const [settings, setSettings] = createSignal<Settings | undefined>();
  const [error, setError] = createSignal<string | undefined>();
  const [adding, setAdding] = createSignal(false);
  const load = async () => {
    try {
      setSettings(await actions.call('stories.settings', {}));
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  onMount(load);
  /** Shows a change at once, says `done` once it is saved, and takes it back with the refusal if the server refuses. */
  const change = async (next: (before: Settings) => Settings, send: () => Promise<unknown>, done: string) => {
    const before = settings();
    if (before === undefined) return;
    setSettings(next(before));
    try {
      await send();
      actions.toast(done);
    } catch (failure) {
      setSettings(before);
      actions.toast(errorText(failure), 'error');
    }
  };
  const keepArchive = (archive: boolean) =>
    change(
      (before) => ({ ...before, archive }),
      async () => setSettings(await actions.call('stories.settings', { archive })),
      t('settings.saved'),
    );
  /** Shows the user's stories to someone again, or brings someone's back to the tray. */
  const takeOff = (list: List, person: Person) =>
    change(
      (before) => ({
        ...before,
        [list]: before[list].filter((each) => each.id !== person.id),
        [COUNT_OF[list]]: before[COUNT_OF[list]] - 1,
      }),
      () =>
        list === 'hidden'
          ? actions.call('stories.hide', { userIds: [person.id], hidden: false })
          : actions.call('stories.mute', { userId: person.id, muted: false }),
      t(LISTS[list].done, { name: person.displayName || person.username }),
    );
  return (
    <section class="card story-settings" aria-labelledby="story-settings-title">
      <SettingsNav />
      <h1 id="story-settings-title">{t('settings.stories')}</h1>
      <Show when={settings()} fallback={<ErrorAlert text={error()} />}>
        {(current) => (
          <>
            <div class="story-settings-part">
              <CheckField label={t('storySettings.archive')} checked={current().archive} onChange={(on) => void keepArchive(on)} switch />
              <p class="hint">{t('storySettings.archiveHelp')}</p>
              <Button variant="secondary" size="sm" icon={Archive} href="/stories/archive">
                {t('storyArchive.title')}
              </Button>
            </div>
            <PeopleList list="hidden" settings={current()} onAction={takeOff}>
              <Button variant="secondary" size="sm" icon={UserPlus} onClick={() => setAdding(true)}>
                {t('storySettings.add')}
              </Button>
            </PeopleList>
            <PeopleList list="muted" settings={current()} onAction={takeOff} />
            <Show when={adding()}>
              <HideDialog
                exclude={current().hidden.map((person) => person.id)}
                onClose={() => setAdding(false)}
                onHidden={() => {
                  setAdding(false);
                  actions.toast(t('settings.saved'));
                  void load();
                }}
              />
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
