// Where someone is, picked as people expect: "use my location" (the browser's geolocation, named
// by places.reverse) or a place name typed into a combobox (places.search, asked 300 ms after the
// last key), never latitude and longitude. The chosen place shows with a way to remove it. Kobalte's
// Combobox gives the listbox its keyboard and screen-reader behaviour.
import { Combobox } from '@kobalte/core/combobox';
import { LocateFixed, MapPin, X } from 'lucide-solid';
import { createSignal, type JSX, onCleanup, Show } from 'solid-js';
import type { CallResponse } from '../../../protocol/catalogue.ts';
import { locale, t } from '../i18n/index.ts';
import { actions, errorText } from '../state/store.ts';
import { Button, IconButton } from './ui/Button.tsx';

export type Place = CallResponse<'places.reverse'>;

const SEARCH_DELAY_MS = 300;

export function PlacePicker(props: {
  id: string;
  label: string;
  value: Place | null;
  onChange: (place: Place | null) => void;
  disabled?: boolean;
}): JSX.Element {
  const [options, setOptions] = createSignal<Place[]>([]);
  const [searching, setSearching] = createSignal(false);
  const [locating, setLocating] = createSignal(false);
  const [problem, setProblem] = createSignal<string | undefined>();
  // Open while there are names to pick: they arrive after the typing that asked for them.
  const [open, setOpen] = createSignal(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;
  let input: HTMLInputElement | undefined;
  onCleanup(() => clearTimeout(timer));

  const search = (text: string) => {
    clearTimeout(timer);
    const query = text.trim();
    if (query.length < 2) {
      setOptions([]);
      setOpen(false);
      return;
    }
    timer = setTimeout(async () => {
      const asked = ++latest;
      setSearching(true);
      try {
        const found = await actions.call('places.search', { query, language: locale() });
        if (asked === latest) {
          setOptions(found.items);
          setOpen(found.items.length > 0);
          setProblem(found.items.length === 0 ? t('places.noneFound') : undefined);
        }
      } catch (failure) {
        if (asked === latest) setProblem(errorText(failure));
      } finally {
        if (asked === latest) setSearching(false);
      }
    }, SEARCH_DELAY_MS);
  };

  const locate = () => {
    setProblem(undefined);
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      async (position) => {
        const { latitude, longitude } = position.coords;
        try {
          props.onChange(await actions.call('places.reverse', { latitude, longitude, language: locale() }));
        } catch (failure) {
          setProblem(errorText(failure));
        } finally {
          setLocating(false);
        }
      },
      () => {
        setLocating(false);
        setProblem(t('profile.locationUnavailable'));
      },
      { enableHighAccuracy: false, timeout: 15_000, maximumAge: 600_000 },
    );
  };

  return (
    <div class="place-picker" data-testid={`${props.id}-picker`}>
      <Combobox<Place>
        options={options()}
        optionValue={(place) => `${place.latitude},${place.longitude}`}
        optionTextValue="placeName"
        optionLabel="placeName"
        defaultFilter={() => true}
        value={null}
        onChange={(place) => {
          if (place === null) return;
          props.onChange(place);
          setOpen(false);
          setOptions([]);
          // The chosen place shows above; the box is ready for another search.
          queueMicrotask(() => {
            if (input !== undefined) input.value = '';
          });
        }}
        onInputChange={search}
        open={open()}
        onOpenChange={(next) => setOpen(next && options().length > 0)}
        triggerMode="input"
        disabled={props.disabled}
        class="field place-search"
        itemComponent={(item) => (
          <Combobox.Item item={item.item} class="place-option">
            <MapPin aria-hidden="true" size={16} />
            <Combobox.ItemLabel>
              <bdi>{item.item.rawValue.placeName}</bdi>
            </Combobox.ItemLabel>
          </Combobox.Item>
        )}
      >
        <Combobox.Label for={props.id}>{props.label}</Combobox.Label>
        <Show when={props.value}>
          {(place) => (
            <p class="place-chosen" data-testid={`${props.id}-chosen`}>
              <MapPin aria-hidden="true" size={18} />
              <bdi>{place().placeName === '' ? t('places.unnamed') : place().placeName}</bdi>
              <IconButton icon={X} label={t('places.remove')} disabled={props.disabled} onClick={() => props.onChange(null)} />
            </p>
          )}
        </Show>
        <Combobox.Control class="place-control">
          <Combobox.Input ref={input} id={props.id} placeholder={t('places.placeholder')} autocomplete="off" />
        </Combobox.Control>
        <Combobox.Portal>
          <Combobox.Content class="place-popover">
            <Combobox.Listbox class="place-listbox" />
          </Combobox.Content>
        </Combobox.Portal>
      </Combobox>
      <p class="hint place-status" role="status" aria-live="polite">
        {searching() ? t('places.searching') : locating() ? t('places.locating') : (problem() ?? '')}
      </p>
      <Show when={'geolocation' in navigator}>
        <Button
          variant="secondary"
          icon={LocateFixed}
          disabled={props.disabled || locating()}
          onClick={locate}
          data-testid={`${props.id}-locate`}
        >
          {t('places.useMyLocation')}
        </Button>
      </Show>
    </div>
  );
}

/** The place a profile has, as the picker holds it. */
export function placeOf(location: { latitude: number; longitude: number; placeName: string } | undefined): Place | null {
  return location === undefined ? null : { placeName: location.placeName, latitude: location.latitude, longitude: location.longitude };
}
