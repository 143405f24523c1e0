// /settings/profile: the user's own profile (display name, bio, location, locale, time zone,
// account type). A refused save names the field: it is highlighted and the message says why.
import { A } from '@solidjs/router';
import { createSignal, For, type JSX, onMount, Show } from 'solid-js';
import type { CallRequest } from '../../../../protocol/catalogue.ts';
import { FormFooter } from '../../components/FormFooter.tsx';
import { SettingsNav } from '../../components/SettingsNav.tsx';
import { t } from '../../i18n/index.ts';
import { LOCALE_NAMES, SUPPORTED } from '../../i18n/locales.ts';
import { actions, errorField, errorText, state } from '../../state/store.ts';

const ZONES: readonly string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

export default function ProfileEditor(): JSX.Element {
  const [loaded, setLoaded] = createSignal(false);
  const [displayName, setDisplayName] = createSignal('');
  const [bio, setBio] = createSignal('');
  const [latitude, setLatitude] = createSignal('');
  const [longitude, setLongitude] = createSignal('');
  const [placeName, setPlaceName] = createSignal('');
  const [removeLocation, setRemoveLocation] = createSignal(false);
  const [profileLocale, setProfileLocale] = createSignal('');
  const [timezone, setTimezone] = createSignal('');
  const [accountType, setAccountType] = createSignal<'personal' | 'business'>('personal');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | undefined>();
  const [field, setField] = createSignal<string | undefined>();

  onMount(async () => {
    try {
      const profile = await actions.call('profile.get', { userId: state.user?.id ?? '' });
      setDisplayName(profile.displayName);
      setBio(profile.bio ?? '');
      setLatitude(profile.location === undefined ? '' : String(profile.location.latitude));
      setLongitude(profile.location === undefined ? '' : String(profile.location.longitude));
      setPlaceName(profile.location?.placeName ?? '');
      setProfileLocale(profile.locale ?? '');
      setTimezone(profile.timezone ?? '');
      setAccountType(profile.accountType);
      setLoaded(true);
    } catch (failure) {
      setError(errorText(failure));
    }
  });

  const useDevice = () => {
    navigator.geolocation?.getCurrentPosition(
      (position) => {
        setLatitude(position.coords.latitude.toFixed(4));
        setLongitude(position.coords.longitude.toFixed(4));
        setRemoveLocation(false);
      },
      () => actions.toast(t('profile.locationUnavailable'), 'error'),
    );
  };

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setField(undefined);
    const changes: CallRequest<'profile.update'> = { displayName: displayName(), bio: bio(), accountType: accountType() };
    if (profileLocale() !== '') changes.locale = profileLocale();
    if (timezone() !== '') changes.timezone = timezone();
    if (removeLocation()) changes.location = null;
    else if (latitude() !== '' || longitude() !== '') {
      const lat = Number(latitude());
      const lon = Number(longitude());
      if (latitude() === '' || Number.isNaN(lat) || lat < -90 || lat > 90) {
        setField('location');
        setError(t('profile.badLatitude'));
        setBusy(false);
        return;
      }
      if (longitude() === '' || Number.isNaN(lon) || lon < -180 || lon > 180) {
        setField('location');
        setError(t('profile.badLongitude'));
        setBusy(false);
        return;
      }
      changes.location = { latitude: lat, longitude: lon, placeName: placeName() };
    }
    try {
      await actions.call('profile.update', changes);
      if (removeLocation()) {
        setLatitude('');
        setLongitude('');
        setPlaceName('');
        setRemoveLocation(false);
      }
      actions.toast(t('settings.saved'));
    } catch (failure) {
      setField(errorField(failure));
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  const invalid = (name: string) => (field() === name ? true : undefined);

  return (
    <section class="card" aria-labelledby="profile-edit-title">
      <SettingsNav />
      <h1 id="profile-edit-title">{t('profile.edit')}</h1>
      <p>
        <A href={`/u/${encodeURIComponent(state.user?.username ?? '')}`}>{t('profile.view')}</A>
      </p>
      <Show
        when={loaded()}
        fallback={
          <p role="alert" class="error">
            {error()}
          </p>
        }
      >
        <form onSubmit={save} class="settings" novalidate>
          <div class="field">
            <label for="displayName">{t('profile.displayName')}</label>
            <input
              id="displayName"
              maxlength={60}
              value={displayName()}
              aria-invalid={invalid('displayName')}
              onInput={(event) => setDisplayName(event.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="bio">{t('profile.bio')}</label>
            <textarea
              id="bio"
              maxlength={500}
              rows={4}
              value={bio()}
              aria-invalid={invalid('bio')}
              onInput={(event) => setBio(event.currentTarget.value)}
            />
          </div>
          <fieldset aria-invalid={invalid('location')} class={invalid('location') ? 'invalid' : undefined}>
            <legend>{t('profile.location')}</legend>
            <p class="hint">{t('profile.locationHelp')}</p>
            <div class="pair">
              <div class="field">
                <label for="latitude">{t('profile.latitude')}</label>
                <input
                  id="latitude"
                  inputmode="decimal"
                  value={latitude()}
                  disabled={removeLocation()}
                  onInput={(event) => setLatitude(event.currentTarget.value)}
                />
              </div>
              <div class="field">
                <label for="longitude">{t('profile.longitude')}</label>
                <input
                  id="longitude"
                  inputmode="decimal"
                  value={longitude()}
                  disabled={removeLocation()}
                  onInput={(event) => setLongitude(event.currentTarget.value)}
                />
              </div>
            </div>
            <div class="field">
              <label for="placeName">{t('profile.placeName')}</label>
              <input
                id="placeName"
                maxlength={100}
                value={placeName()}
                disabled={removeLocation()}
                onInput={(event) => setPlaceName(event.currentTarget.value)}
              />
            </div>
            <Show when={'geolocation' in navigator}>
              <button type="button" class="secondary" onClick={useDevice}>
                {t('profile.useDeviceLocation')}
              </button>
            </Show>
            <label class="check">
              <input type="checkbox" checked={removeLocation()} onChange={(event) => setRemoveLocation(event.currentTarget.checked)} />
              {t('profile.removeLocation')}
            </label>
          </fieldset>
          <div class="field">
            <label for="profileLocale">{t('profile.locale')}</label>
            <select
              id="profileLocale"
              value={profileLocale()}
              aria-invalid={invalid('locale')}
              onChange={(event) => setProfileLocale(event.currentTarget.value)}
            >
              <option value="">—</option>
              <For each={[...SUPPORTED]}>{(code) => <option value={code}>{LOCALE_NAMES[code] ?? code}</option>}</For>
            </select>
          </div>
          <div class="field">
            <label for="timezone">{t('profile.timezone')}</label>
            <input
              id="timezone"
              list="timezones"
              maxlength={64}
              value={timezone()}
              aria-invalid={invalid('timezone')}
              placeholder={Intl.DateTimeFormat().resolvedOptions().timeZone}
              onInput={(event) => setTimezone(event.currentTarget.value)}
            />
            <datalist id="timezones">
              <For each={[...ZONES]}>{(zone) => <option value={zone} />}</For>
            </datalist>
          </div>
          <div class="field">
            <label for="accountType">{t('profile.accountType')}</label>
            <select
              id="accountType"
              value={accountType()}
              aria-invalid={invalid('accountType')}
              onChange={(event) => setAccountType(event.currentTarget.value as 'personal' | 'business')}
            >
              <option value="personal">{t('profile.personal')}</option>
              <option value="business">{t('profile.business')}</option>
            </select>
          </div>
          <FormFooter busy={busy()} error={error()} label={t('settings.save')} />
        </form>
      </Show>
    </section>
  );
}
