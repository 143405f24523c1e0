// /settings/profile: the user's own profile (profile and cover photos, saved as soon as they are
// uploaded; display name, bio, location picked by name or with the device, locale, time zone,
// account type). A refused save names the field: it is highlighted and the message says why. Below,
// the request for the verified mark (components/verification/).
import { A } from '@solidjs/router';
import { createSignal, For, type JSX, onMount, Show } from 'solid-js';
import type { CallRequest } from '../../../../protocol/catalogue.ts';
import { InputField, SelectField, TextAreaField } from '../../components/Field.tsx';
import { FormFooter } from '../../components/FormFooter.tsx';
import { LanguageOptions } from '../../components/LanguageOptions.tsx';
import { AvatarSetting } from '../../components/media/AvatarSetting.tsx';
import { PhotoSetting } from '../../components/media/PhotoSetting.tsx';
import { StorageUsage } from '../../components/media/StorageUsage.tsx';
import { type Place, PlacePicker, placeOf } from '../../components/PlacePicker.tsx';
import { SettingsNav } from '../../components/SettingsNav.tsx';
import { StatusForm } from '../../components/StatusForm.tsx';
import { VerificationSection } from '../../components/verification/VerificationSection.tsx';
import { t } from '../../i18n/index.ts';
import { TIME_ZONES } from '../../i18n/locales.ts';
import { actions, errorField, errorText, state } from '../../state/store.ts';

export default function ProfileEditor(): JSX.Element {
  const [loaded, setLoaded] = createSignal(false);
  const [displayName, setDisplayName] = createSignal('');
  const [avatar, setAvatar] = createSignal<string | null>(null);
  const [cover, setCover] = createSignal<string | null>(null);
  const [bio, setBio] = createSignal('');
  const [place, setPlace] = createSignal<Place | null>(null);
  const [savedPlace, setSavedPlace] = createSignal<Place | null>(null);
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
      setPlace(placeOf(profile.location));
      setSavedPlace(placeOf(profile.location));
      setProfileLocale(profile.locale ?? '');
      setTimezone(profile.timezone ?? '');
      setAccountType(profile.accountType);
      setLoaded(true);
    } catch (failure) {
      setError(errorText(failure));
    }
  });

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setField(undefined);
    const changes: CallRequest<'profile.update'> = { displayName: displayName(), bio: bio(), accountType: accountType() };
    if (profileLocale() !== '') changes.locale = profileLocale();
    if (timezone() !== '') changes.timezone = timezone();
    const chosen = place();
    const saved = savedPlace();
    if (chosen === null && saved !== null) changes.location = null;
    else if (
      chosen !== null &&
      (chosen.latitude !== saved?.latitude || chosen.longitude !== saved.longitude || chosen.placeName !== saved.placeName)
    )
      changes.location = chosen;
    try {
      await actions.call('profile.update', changes);
      setSavedPlace(chosen);
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
          <AvatarSetting current={avatar()} testId="avatar-setting" onSaved={setAvatar} />
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
            <PlacePicker id="place" label={t('welcome.placeLabel')} value={place()} onChange={setPlace} />
          </fieldset>
          <SelectField
            id="profileLocale"
            label={t('profile.locale')}
            value={profileLocale()}
            invalid={invalid('locale')}
            onChange={setProfileLocale}
          >
            <option value="">—</option>
            <LanguageOptions />
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
              <For each={[...TIME_ZONES]}>{(zone) => <option value={zone} />}</For>
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
        <VerificationSection />
      </Show>
    </section>
  );
}
