// Hashtags trending in a region: the user's locale (es-MX), its whole language (es) or everywhere,
// chosen here; the server starts from the user's own locale and widens while nothing trends there.
import { A } from '@solidjs/router';
import { createSignal, For, type JSX, onMount, Show } from 'solid-js';
import { locale, t } from '../i18n/index.ts';
import { languageOf } from '../i18n/locales.ts';
import { actions, errorText } from '../state/store.ts';
import { SelectField } from './Field.tsx';
import { ErrorAlert } from './FormFooter.tsx';

export function Trending(props: { compact?: boolean }): JSX.Element {
  const [region, setRegion] = createSignal<string | undefined>();
  const [items, setItems] = createSignal<{ tag: string; score: number }[]>([]);
  const [error, setError] = createSignal<string | undefined>();
  const [loaded, setLoaded] = createSignal(false);
  const load = async () => {
    setError(undefined);
    try {
      const answer = await actions.call('hashtags.trending', { region: region(), limit: props.compact ? 10 : 30 });
      setRegion(answer.region);
      setItems(answer.items);
      setLoaded(true);
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  onMount(() => void load());
  const regions = () => [
    ...new Set([region(), locale(), languageOf(locale()), 'all'].filter((each): each is string => each !== undefined)),
  ];
  return (
    <section
      class="trending"
      aria-labelledby={props.compact ? 'trending-rail-title' : 'trending-title'}
      data-testid={props.compact ? 'trending-rail' : 'trending'}
    >
      <h2 id={props.compact ? 'trending-rail-title' : 'trending-title'}>{t('trending.title')}</h2>
      <Show when={!props.compact}>
        <SelectField
          id="trending-region"
          label={t('trending.region')}
          value={region() ?? ''}
          onChange={(value) => {
            setRegion(value);
            void load();
          }}
        >
          <For each={regions()}>{(each) => <option value={each}>{each === 'all' ? t('trending.everywhere') : each}</option>}</For>
        </SelectField>
      </Show>
      <ErrorAlert text={error()} />
      <Show when={loaded() && items().length === 0}>
        <p class="hint">{t('trending.none')}</p>
      </Show>
      <ol class="chips">
        <For each={items()}>
          {(item) => (
            <li>
              <A href={`/hashtags/${encodeURIComponent(item.tag)}`}>#{item.tag}</A>
            </li>
          )}
        </For>
      </ol>
    </section>
  );
}
