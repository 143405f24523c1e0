// /pets/new and /pets/:id/edit: a pet's details and photos (new ones upload as soon as they are
// picked; saving waits until they are ready), its lost status (marking it lost notifies the
// owner's friends) and its health notes with who may read them. A refused save highlights the
// field the server names.
import { useNavigate, useParams } from '@solidjs/router';
import { createSignal, For, type JSX, onMount, Show } from 'solid-js';
import type { CallRequest, CallResponse } from '../../../protocol/catalogue.ts';
import { CheckField, InputField, SelectField, TextAreaField } from '../components/Field.tsx';
import { FormFooter } from '../components/FormFooter.tsx';
import { FilePicker } from '../components/media/FilePicker.tsx';
import { MediaView } from '../components/media/MediaView.tsx';
import { UploadStatus } from '../components/media/UploadStatus.tsx';
import { t } from '../i18n/index.ts';
import { actions, errorField, errorText } from '../state/store.ts';
import { createUploadList } from '../state/uploads.ts';

type Pet = CallResponse<'pets.get'>['pet'];
const SPECIES = ['dog', 'cat', 'bird', 'rabbit', 'rodent', 'fish', 'reptile', 'horse', 'other'] as const;
const SEXES = ['female', 'male', 'unknown'] as const;
const SIZES = ['tiny', 'small', 'medium', 'large', 'giant'] as const;
const AUDIENCES = ['public', 'friends', 'close_friends', 'only_me'] as const;
const MAX_PHOTOS = 20;

export default function PetEditor(): JSX.Element {
  const params = useParams();
  const navigate = useNavigate();
  const editing = () => params.id !== undefined;
  const [original, setOriginal] = createSignal<Pet | undefined>();
  const [ready, setReady] = createSignal(!editing());
  const [name, setName] = createSignal('');
  const [species, setSpecies] = createSignal<Pet['species']>('dog');
  const [breed, setBreed] = createSignal('');
  const [sex, setSex] = createSignal<Pet['sex']>('unknown');
  const [birthDate, setBirthDate] = createSignal('');
  const [size, setSize] = createSignal<string>('');
  const [traits, setTraits] = createSignal('');
  const [temperament, setTemperament] = createSignal('');
  const [playdates, setPlaydates] = createSignal(false);
  const [lost, setLost] = createSignal(false);
  const [lostNote, setLostNote] = createSignal('');
  const [healthNotes, setHealthNotes] = createSignal('');
  const [vaccinations, setVaccinations] = createSignal('');
  const [healthAudience, setHealthAudience] = createSignal<(typeof AUDIENCES)[number]>('only_me');
  const [photos, setPhotos] = createSignal<string[]>([]);
  const uploads = createUploadList(MAX_PHOTOS, ['image']);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | undefined>();
  const [field, setField] = createSignal<string | undefined>();

  onMount(async () => {
    if (!editing()) return;
    try {
      const { pet } = await actions.call('pets.get', { petId: params.id as string });
      setOriginal(pet);
      setName(pet.name);
      setSpecies(pet.species);
      setBreed(pet.breed);
      setSex(pet.sex);
      setBirthDate(pet.birthDate ?? '');
      setSize(pet.size ?? '');
      setTraits(pet.traits.join(', '));
      setTemperament(pet.temperament);
      setPlaydates(pet.openToPlaydates);
      setLost(pet.lost !== null);
      setLostNote(pet.lost?.note ?? '');
      setHealthNotes(pet.health?.notes ?? '');
      setVaccinations(pet.health?.vaccinations ?? '');
      setHealthAudience(pet.health?.audience ?? 'only_me');
      setPhotos(pet.photoMediaIds);
      setReady(true);
    } catch (failure) {
      setError(errorText(failure));
    }
  });

  const save = async (event: Event) => {
    event.preventDefault();
    if (uploads.busy()) {
      setError(t('media.waitUploads'));
      return;
    }
    setBusy(true);
    setError(undefined);
    setField(undefined);
    const fields = {
      photoMediaIds: [...photos(), ...uploads.readyIds()],
      name: name().trim(),
      species: species(),
      breed: breed().trim(),
      sex: sex(),
      birthDate: birthDate() === '' ? null : birthDate(),
      size: size() === '' ? null : (size() as NonNullable<Pet['size']>),
      traits: traits()
        .split(',')
        .map((trait) => trait.trim())
        .filter((trait) => trait !== ''),
      temperament: temperament(),
      openToPlaydates: playdates(),
      health: { notes: healthNotes(), vaccinations: vaccinations(), audience: healthAudience() },
    };
    try {
      const before = original();
      let saved: Pet;
      if (before === undefined) {
        saved = await actions.call('pets.create', fields);
        if (lost()) saved = await actions.call('pets.update', { petId: saved.id, lost: { note: lostNote() } });
      } else {
        const changes: CallRequest<'pets.update'> = { petId: before.id, ...fields };
        if (lost() && (before.lost === null || before.lost.note !== lostNote())) changes.lost = { note: lostNote() };
        if (!lost() && before.lost !== null) changes.lost = null;
        saved = await actions.call('pets.update', changes);
      }
      actions.toast(lost() && original()?.lost == null ? t('pets.lostAlerted') : t('settings.saved'));
      navigate(`/pets/${saved.id}`);
    } catch (failure) {
      setField(errorField(failure));
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  const invalid = (name: string) => (field() === name ? true : undefined);

  return (
    <section class="card" aria-labelledby="pet-edit-title">
      <h1 id="pet-edit-title">{editing() ? t('pets.edit') : t('pets.add')}</h1>
      <Show
        when={ready()}
        fallback={
          <p role="alert" class="error">
            {error()}
          </p>
        }
      >
        <form onSubmit={save} class="settings" novalidate>
          <fieldset class={invalid('photoMediaIds') ? 'invalid' : undefined}>
            <legend>{t('pets.photos')}</legend>
            <Show when={photos().length > 0}>
              <ul class="media">
                <For each={photos()}>
                  {(id) => (
                    <li class="pet-photo">
                      <MediaView id={id} layout="tile" />
                      <button
                        type="button"
                        class="link"
                        aria-label={t('media.remove', { name: t('media.image') })}
                        onClick={() => setPhotos((all) => all.filter((each) => each !== id))}
                      >
                        ×
                      </button>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
            <Show when={uploads.uploads().length > 0}>
              <ul class="uploads">
                <For each={uploads.uploads()}>{(upload) => <UploadStatus upload={upload} onRemove={() => uploads.remove(upload)} />}</For>
              </ul>
            </Show>
            <FilePicker
              label={t('pets.addPhotos')}
              accept="image/*"
              multiple
              disabled={photos().length + uploads.uploads().length >= MAX_PHOTOS}
              onFiles={(files) => uploads.add(files)}
            />
          </fieldset>
          <InputField
            id="pet-name"
            label={t('pets.name')}
            value={name()}
            invalid={invalid('name')}
            onInput={setName}
            maxlength={40}
            required
          />
          <SelectField
            id="pet-species"
            label={t('pets.species')}
            value={species()}
            invalid={invalid('species')}
            onChange={(value) => setSpecies(value as Pet['species'])}
          >
            <For each={SPECIES}>{(value) => <option value={value}>{t(`species.${value}`)}</option>}</For>
          </SelectField>
          <InputField id="pet-breed" label={t('pets.breed')} value={breed()} invalid={invalid('breed')} onInput={setBreed} maxlength={60} />
          <div class="pair">
            <SelectField id="pet-sex" label={t('pets.sex')} value={sex()} onChange={(value) => setSex(value as Pet['sex'])}>
              <For each={SEXES}>{(value) => <option value={value}>{t(`sex.${value}`)}</option>}</For>
            </SelectField>
            <SelectField id="pet-size" label={t('pets.size')} value={size()} onChange={setSize}>
              <option value="">—</option>
              <For each={SIZES}>{(value) => <option value={value}>{t(`size.${value}`)}</option>}</For>
            </SelectField>
          </div>
          <InputField
            id="pet-birthDate"
            label={t('pets.birthDate')}
            value={birthDate()}
            invalid={invalid('birthDate')}
            onInput={setBirthDate}
            type="date"
            max={new Date().toISOString().slice(0, 10)}
          />
          <InputField id="pet-traits" label={t('pets.traitsInput')} value={traits()} invalid={invalid('traits')} onInput={setTraits} />
          <TextAreaField
            id="pet-temperament"
            label={t('pets.temperament')}
            maxlength={500}
            rows={3}
            value={temperament()}
            invalid={invalid('temperament')}
            onInput={setTemperament}
          />
          <CheckField label={t('pets.playdates')} checked={playdates()} onChange={setPlaydates} />
          <fieldset class={lost() ? 'lost-note' : undefined}>
            <legend>{t('pets.lost')}</legend>
            <CheckField label={t('pets.markLost')} checked={lost()} onChange={setLost} />
            <Show when={lost()}>
              <p class="hint">{t('pets.lostHelp')}</p>
              <TextAreaField
                id="pet-lostNote"
                label={t('pets.lostNote')}
                maxlength={500}
                rows={3}
                value={lostNote()}
                invalid={invalid('lost')}
                onInput={setLostNote}
              />
            </Show>
          </fieldset>
          <fieldset>
            <legend>{t('pets.health')}</legend>
            <TextAreaField
              id="pet-health"
              label={t('pets.healthNotes')}
              maxlength={2000}
              rows={3}
              value={healthNotes()}
              invalid={invalid('health')}
              onInput={setHealthNotes}
            />
            <TextAreaField
              id="pet-vaccinations"
              label={t('pets.vaccinations')}
              maxlength={2000}
              rows={3}
              value={vaccinations()}
              onInput={setVaccinations}
            />
            <SelectField
              id="pet-audience"
              label={t('pets.healthVisibleTo')}
              value={healthAudience()}
              onChange={(value) => setHealthAudience(value as (typeof AUDIENCES)[number])}
            >
              <For each={AUDIENCES}>{(value) => <option value={value}>{t(`audience.${value}`)}</option>}</For>
            </SelectField>
          </fieldset>
          <FormFooter busy={busy()} error={error()} label={editing() ? t('settings.save') : t('pets.create')} />
        </form>
      </Show>
    </section>
  );
}
