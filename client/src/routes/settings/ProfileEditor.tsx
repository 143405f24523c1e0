// /settings/profile: the user's own profile (profile and cover photos, saved as soon as they are
// uploaded; display name, bio, location, locale, time zone, account type). A refused save names the field: it is highlighted and the message says why.
import { A } from '@solidjs/router';
import { createSignal, For, type JSX, onMount, Show } from 'solid-js';
import type { CallRequest } from '../../../../protocol/catalogue.ts';
import { CheckField, InputField, SelectField, TextAreaField } from '../../components/Field.tsx';
import { FormFooter } from '../../components/FormFooter.tsx';
import { PhotoSetting } from '../../components/media/PhotoSetting.tsx';
import { StorageUsage } from '../../components/media/StorageUsage.tsx';
import { SettingsNav } from '../../components/SettingsNav.tsx';
import { StatusForm } from '../../components/StatusForm.tsx';
import { t } from '../../i18n/index.ts';
import { LOCALE_NAMES, SUPPORTED } from '../../i18n/locales.ts';
import { actions, errorField, errorText, state } from '../../state/store.ts';

const ZONES: readonly string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

export default function ProfileEditor(): JSX.Element {
  const [loaded, setLoaded] = createSignal(false);
  const [displayName, setDisplayName] = createSignal('');
  const [avatar, setAvatar] = createSignal<string | null>(null);
  const [cover, setCover] = createSignal<string | null>(null);
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
      setAvatar(profile.avatarMediaId);
      setCover(profile.coverMediaId);
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
      <StatusForm />
      <Show
        when={loaded()}
        fallback={
          <p role="alert" class="error">
            {error()}
          </p>
        }
      >
        <fieldset class="photos">
          <legend>{t('profile.photos')}</legend>
          <PhotoSetting
            label={t('profile.avatar')}
            chooseLabel={t('profile.changeAvatar')}
            removeLabel={t('profile.removeAvatar')}
            current={avatar()}
            layout="avatar-large"
            testId="avatar-setting"
            save={async (mediaId) => {
              await actions.call('profile.update', { avatarMediaId: mediaId });
              setAvatar(mediaId);
            }}
          />
          <PhotoSetting
            label={t('profile.cover')}
            chooseLabel={t('profile.changeCover')}
            removeLabel={t('profile.removeCover')}
            current={cover()}
            layout="cover"
            testId="cover-setting"
            save={async (mediaId) => {
              await actions.call('profile.update', { coverMediaId: mediaId });
              setCover(mediaId);
            }}
          />
        </fieldset>
        <StorageUsage />
        <form onSubmit={save} class="settings" novalidate>
          <InputField
            id="displayName"
            label={t('profile.displayName')}
            maxlength={60}
            value={displayName()}
            invalid={invalid('displayName')}
            onInput={setDisplayName}
          />
          <TextAreaField
            id="bio"
            label={t('profile.bio')}
            maxlength={500}
            rows={4}
            value={bio()}
            invalid={invalid('bio')}
            onInput={setBio}
          />
          <fieldset aria-invalid={invalid('location')} class={invalid('location') ? 'invalid' : undefined}>
            <legend>{t('profile.location')}</legend>
            <p class="hint">{t('profile.locationHelp')}</p>
            <div class="pair">
              <InputField
                id="latitude"
                label={t('profile.latitude')}
                inputmode="decimal"
                value={latitude()}
                disabled={removeLocation()}
                onInput={setLatitude}
              />
              <InputField
                id="longitude"
                label={t('profile.longitude')}
                inputmode="decimal"
                value={longitude()}
                disabled={removeLocation()}
                onInput={setLongitude}
              />
            </div>
            <InputField
              id="placeName"
              label={t('profile.placeName')}
              maxlength={100}
              value={placeName()}
              disabled={removeLocation()}
              onInput={setPlaceName}
            />
            <Show when={'geolocation' in navigator}>
              <button type="button" class="secondary" onClick={useDevice}>
                {t('profile.useDeviceLocation')}
              </button>
            </Show>
            <CheckField label={t('profile.removeLocation')} checked={removeLocation()} onChange={setRemoveLocation} />
          </fieldset>
          <SelectField
            id="profileLocale"
            label={t('profile.locale')}
            value={profileLocale()}
            invalid={invalid('locale')}
            onChange={setProfileLocale}
          >
            <option value="">—</option>
            <For each={[...SUPPORTED]}>{(code) => <option value={code}>{LOCALE_NAMES[code] ?? code}</option>}</For>
          </SelectField>
          <InputField
            id="timezone"
            label={t('profile.timezone')}
            list="timezones"
            maxlength={64}
            value={timezone()}
            invalid={invalid('timezone')}
            placeholder={Intl.DateTimeFormat().resolvedOptions().timeZone}
            onInput={setTimezone}
          >
            <datalist id="timezones">
              <For each={[...ZONES]}>{(zone) => <option value={zone} />}</For>
            </datalist>
          </InputField>
          <SelectField
            id="accountType"
            label={t('profile.accountType')}
            value={accountType()}
            invalid={invalid('accountType')}
            onChange={(value) => setAccountType(value as 'personal' | 'business')}
          >
            <option value="personal">{t('profile.personal')}</option>
            <option value="business">{t('profile.business')}</option>
          </SelectField>
          <FormFooter busy={busy()} error={error()} label={t('settings.save')} />
        </form>
      </Show>
    </section>
  );
}
