// /welcome: the first minutes after sign-up, four steps that each may be skipped: a profile
// photo, a first pet, people to add, and language and place. The step is in the URL (?step=2), so
// Back goes to the previous one. The time zone is set to the browser's as soon as the screen opens
// (when the profile has none), and the last step saves the language, the time zone and the place,
// picked by name or with the device's location.
import { useNavigate, useSearchParams } from '@solidjs/router';
import { ArrowLeft, ArrowRight, Check } from 'lucide-solid';
import { createSignal, For, type JSX, Match, onMount, Show, Switch } from 'solid-js';
import type { CallRequest } from '../../../protocol/catalogue.ts';
import { InputField, SelectField } from '../components/Field.tsx';
import { ErrorAlert } from '../components/FormFooter.tsx';
import { LanguageOptions } from '../components/LanguageOptions.tsx';
import { AvatarSetting } from '../components/media/AvatarSetting.tsx';
import { PhotoSetting } from '../components/media/PhotoSetting.tsx';
import { PeopleSearch } from '../components/PeopleSearch.tsx';
import { type Place, PlacePicker, placeOf } from '../components/PlacePicker.tsx';
import { Suggestions } from '../components/Suggestions.tsx';
import { Button } from '../components/ui/Button.tsx';
import { useSubmit } from '../components/useSubmit.ts';
import { locale, setLocale, t } from '../i18n/index.ts';
import { TIME_ZONES } from '../i18n/locales.ts';
import type { MessageKey } from '../i18n/messages/en.ts';
import { actions, errorText, state } from '../state/store.ts';

const STEPS = ['photo', 'pet', 'people', 'place'] as const;
const SPECIES = ['dog', 'cat', 'bird', 'rabbit', 'rodent', 'fish', 'reptile', 'horse', 'other'] as const;
const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
/** Every zone the browser knows, with the browser's own and UTC (which the list may leave out). */
const ZONES = [...new Set([BROWSER_ZONE, 'UTC', ...TIME_ZONES])].sort();

export default function Welcome(): JSX.Element {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const step = () => {
    const n = Number(params.step ?? 1);
    return Number.isInteger(n) && n >= 1 && n <= STEPS.length ? n : 1;
  };
  const go = (n: number) => (n > STEPS.length ? navigate('/', { replace: true }) : setParams({ step: n }));

  const [avatar, setAvatar] = createSignal<string | null>(null);
  const [petName, setPetName] = createSignal('');
  const [species, setSpecies] = createSignal<(typeof SPECIES)[number]>('dog');
  const [petPhoto, setPetPhoto] = createSignal<string | null>(null);
  const [petAdded, setPetAdded] = createSignal<string | undefined>();
  const [place, setPlace] = createSignal<Place | null>(null);
  const [zone, setZone] = createSignal(BROWSER_ZONE);
  /** What the screen could not read, or a pet without a name. */
  const [notice, setNotice] = createSignal<string | undefined>();

  onMount(async () => {
    try {
      const profile = await actions.call('profile.get', { userId: state.user?.id ?? '' });
      setAvatar(profile.avatarMediaId);
      setPlace(placeOf(profile.location));
      // A new profile's zone is the server's default, UTC: the browser knows better.
      if (profile.timezone !== undefined && profile.timezone !== 'UTC') setZone(profile.timezone);
      else if (BROWSER_ZONE !== 'UTC') await actions.call('profile.update', { timezone: BROWSER_ZONE });
    } catch (failure) {
      setNotice(errorText(failure));
    }
  });

  const addPet = useSubmit(async () => {
    setNotice(undefined);
    if (petAdded() !== undefined) return void go(3);
    if (petName().trim() === '') return void setNotice(t('welcome.petNameRequired'));
    const pet = await actions.call('pets.create', {
      name: petName().trim(),
      species: species(),
      photoMediaIds: petPhoto() === null ? [] : [petPhoto() as string],
      clientId: crypto.randomUUID(),
    });
    setPetAdded(pet.name);
    actions.toast(t('welcome.petAdded', { pet: pet.name }));
    go(3);
  });

  const finish = useSubmit(async () => {
    const changes: CallRequest<'profile.update'> = { locale: locale(), timezone: zone() };
    const chosen = place();
    if (chosen !== null) changes.location = chosen;
    await actions.call('profile.update', changes);
    actions.toast(t('welcome.done'));
    navigate('/', { replace: true });
  });

  const title = (): MessageKey => `welcome.${STEPS[step() - 1] ?? 'photo'}Title` as MessageKey;

  return (
    <section class="card welcome" aria-labelledby="welcome-title" data-testid="welcome" data-step={step()}>
      <p class="welcome-progress">
        <span>{t('welcome.step', { step: step(), steps: STEPS.length })}</span>
        <progress max={STEPS.length} value={step()} aria-hidden="true" />
      </p>
      <h1 id="welcome-title">{t(title())}</h1>
      <Show when={step() === 1 && state.user?.emailVerified === false}>
        <p class="hint" role="status">
          {t('signUp.checkMail', { username: state.user?.username ?? '', email: state.user?.email ?? '' })}
        </p>
      </Show>
      <ErrorAlert text={notice() ?? addPet.error() ?? finish.error()} />
      <Switch>
        <Match when={step() === 1}>
          <p>{t('welcome.photoHelp')}</p>
          <AvatarSetting current={avatar()} testId="welcome-avatar" onSaved={setAvatar} />
          <StepButtons next={() => go(2)} skip={avatar() === null ? () => go(2) : undefined} />
        </Match>
        <Match when={step() === 2}>
          <form onSubmit={addPet.submit} novalidate class="settings">
            <p>{t('welcome.petHelp')}</p>
            <Show
              when={petAdded()}
              fallback={
                <>
                  <InputField id="welcome-pet-name" label={t('pets.name')} maxlength={40} value={petName()} onInput={setPetName} />
                  <SelectField
                    id="welcome-pet-species"
                    label={t('pets.species')}
                    value={species()}
                    onChange={(value) => setSpecies(value as (typeof SPECIES)[number])}
                  >
                    <For each={[...SPECIES]}>{(code) => <option value={code}>{t(`species.${code}`)}</option>}</For>
                  </SelectField>
                  <PhotoSetting
                    label={t('welcome.petPhoto')}
                    chooseLabel={t('welcome.petPhotoChoose')}
                    removeLabel={t('media.remove', { name: t('welcome.petPhoto') })}
                    current={petPhoto()}
                    layout="avatar-large"
                    testId="welcome-pet-photo"
                    save={async (mediaId) => {
                      setPetPhoto(mediaId);
                    }}
                  />
                </>
              }
            >
              {(name) => <p role="status">{t('welcome.petAdded', { pet: name() })}</p>}
            </Show>
            <StepButtons back={() => go(1)} next="submit" busy={addPet.busy()} skip={petAdded() === undefined ? () => go(3) : undefined} />
          </form>
        </Match>
        <Match when={step() === 3}>
          <p>{t('welcome.peopleHelp')}</p>
          <Suggestions limit={8} titleId="welcome-suggestions" />
          <PeopleSearch />
          <StepButtons back={() => go(2)} next={() => go(4)} />
        </Match>
        <Match when={step() === 4}>
          <form onSubmit={finish.submit} novalidate class="settings">
            <SelectField id="welcome-language" label={t('settings.language')} value={locale()} onChange={(value) => setLocale(value)}>
              <LanguageOptions />
            </SelectField>
            <PlacePicker id="welcome-place" label={t('welcome.placeLabel')} value={place()} onChange={setPlace} />
            <p class="hint">{t('profile.locationHelp')}</p>
            <SelectField id="welcome-timezone" label={t('profile.timezone')} value={zone()} onChange={setZone}>
              <For each={ZONES.includes(zone()) ? ZONES : [zone(), ...ZONES]}>{(name) => <option value={name}>{name}</option>}</For>
            </SelectField>
            <StepButtons back={() => go(3)} next="submit" busy={finish.busy()} last />
          </form>
        </Match>
      </Switch>
    </section>
  );
}

function StepButtons(props: {
  back?: () => void;
  next: (() => void) | 'submit';
  skip?: () => void;
  busy?: boolean;
  last?: boolean;
}): JSX.Element {
  return (
    <div class="welcome-actions">
      <Show when={props.back}>
        {(back) => (
          <Button variant="ghost" icon={ArrowLeft} onClick={back()}>
            {t('welcome.back')}
          </Button>
        )}
      </Show>
      <span class="spacer" />
      <Show when={props.skip}>
        {(skip) => (
          <Button variant="ghost" onClick={skip()} data-testid="welcome-skip">
            {t('welcome.skip')}
          </Button>
        )}
      </Show>
      <Button
        type={props.next === 'submit' ? 'submit' : 'button'}
        icon={props.last ? Check : ArrowRight}
        disabled={props.busy}
        onClick={props.next === 'submit' ? undefined : props.next}
        data-testid="welcome-next"
      >
        {props.last ? t('welcome.finish') : t('welcome.next')}
      </Button>
    </div>
  );
}
