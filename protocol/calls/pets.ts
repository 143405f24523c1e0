// Calls about pets: each user's pets, and each pet's own page. A pet is visible to whom its
// owner's `pets` audience allows; its health and vaccination notes to whom `health.audience`
// allows (only the owner by default).

import { type CallSpec, CreateKey, Cursor, exampleFriendId, examplePerson, OneOf, Page, PersonSummary, Uuid } from '../spec.ts';
import { T } from '../typebox.ts';

const Species = OneOf(['dog', 'cat', 'bird', 'rabbit', 'rodent', 'fish', 'reptile', 'horse', 'other']);
const Sex = OneOf(['female', 'male', 'unknown']);
const Size = OneOf(['tiny', 'small', 'medium', 'large', 'giant']);
const Audience = OneOf(['public', 'friends', 'close_friends', 'only_me']);
const BirthDate = T.String({ format: 'date', description: 'YYYY-MM-DD, not in the future' });

const PetFields = {
  name: T.String({ minLength: 1, maxLength: 40 }),
  species: Species,
  breed: T.String({ maxLength: 60 }),
  sex: Sex,
  birthDate: T.Union([BirthDate, T.Null()]),
  size: T.Union([Size, T.Null()]),
  photoMediaIds: T.Array(Uuid, { maxItems: 20 }),
  traits: T.Array(T.String({ minLength: 1, maxLength: 30 }), { maxItems: 20, description: 'Short words: "playful", "shy"' }),
  temperament: T.String({ maxLength: 500 }),
  openToPlaydates: T.Boolean(),
};

const Health = T.Object({
  notes: T.String({ maxLength: 2000 }),
  vaccinations: T.String({ maxLength: 2000 }),
  audience: Audience,
});

const Lost = T.Object({
  since: T.String({ format: 'date-time' }),
  note: T.String({ maxLength: 500, description: 'Where and when it was last seen, how to reach the owner' }),
});

const Pet = T.Object({
  id: Uuid,
  ownerId: Uuid,
  ...PetFields,
  lost: T.Union([Lost, T.Null()]),
  health: T.Optional(T.Object(Health.properties, { description: 'Absent unless the viewer may see it' })),
  createdAt: T.String({ format: 'date-time' }),
  updatedAt: T.String({ format: 'date-time' }),
});

const PetChanges = {
  breed: T.Optional(PetFields.breed),
  sex: T.Optional(Sex),
  birthDate: T.Optional(PetFields.birthDate),
  size: T.Optional(PetFields.size),
  photoMediaIds: T.Optional(PetFields.photoMediaIds),
  traits: T.Optional(PetFields.traits),
  temperament: T.Optional(PetFields.temperament),
  openToPlaydates: T.Optional(T.Boolean()),
  health: T.Optional(T.Partial(Health, { additionalProperties: false })),
  lost: T.Optional(
    T.Union([T.Object({ note: Lost.properties.note }, { additionalProperties: false }), T.Null()], {
      description: 'An object marks the pet lost (its friends are notified), null found again',
    }),
  ),
};

const petId = '0192a1b2-1111-7000-8000-00000000beef';
const examplePet = {
  id: petId,
  ownerId: exampleFriendId,
  name: 'Luna',
  species: 'dog',
  breed: 'Xoloitzcuintle',
  sex: 'female',
  birthDate: '2021-04-02',
  size: 'medium',
  photoMediaIds: [],
  traits: ['playful', 'loyal'],
  temperament: 'Calm at home, wild at the park.',
  openToPlaydates: true,
  lost: null,
  createdAt: '2026-11-01T10:00:00.000Z',
  updatedAt: '2026-11-20T10:00:00.000Z',
};

/** Why a pet is suggested, strongest first. */
const SUGGESTION_REASONS = ['friends_of_friends', 'same_species', 'new'] as const;

const PetSuggestion = T.Object({
  pet: T.Object({
    id: Uuid,
    name: PetFields.name,
    species: Species,
    breed: PetFields.breed,
    photoMediaIds: PetFields.photoMediaIds,
    lost: T.Boolean({ description: 'Marked lost by its owner' }),
  }),
  owner: PersonSummary,
  reason: OneOf(SUGGESTION_REASONS, {
    description:
      'friends_of_friends: its owner is a friend of your friends; same_species: a species of one of your pets; new: recently added',
  }),
  mutualFriends: T.Integer({ minimum: 0, description: 'Friends you share with its owner' }),
});

export const petsCalls = {
  'pets.create': {
    description: 'Add a pet to the caller. Fields other than name and species may be left out.',
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'MEDIA_NOT_READY', 'TOO_MANY_PETS'],
    request: T.Object(
      {
        name: PetFields.name,
        species: Species,
        ...PetChanges,
        lost: T.Optional(T.Null()),
        clientId: CreateKey,
      },
      { additionalProperties: false },
    ),
    response: Pet,
    example: {
      request: { name: 'Luna', species: 'dog', breed: 'Xoloitzcuintle', clientId: '0192a1b2-c3d4-7e5f-8a9b-0000000000d1' },
      response: examplePet,
    },
  },
  'pets.update': {
    description: "Change one of the caller's pets; absent fields stay. Marking a pet lost notifies the owner's friends.",
    role: 'user',
    errors: ['INVALID_INPUT', 'NOT_FOUND', 'MEDIA_NOT_READY'],
    request: T.Object(
      { petId: Uuid, name: T.Optional(PetFields.name), species: T.Optional(Species), ...PetChanges },
      { additionalProperties: false },
    ),
    response: Pet,
    example: {
      request: { petId, lost: { note: 'Last seen at Parque México, 18:00' } },
      response: { ...examplePet, lost: { since: '2026-11-24T18:05:00.000Z', note: 'Last seen at Parque México, 18:00' } },
    },
  },
  'pets.delete': {
    description: "Remove one of the caller's pets.",
    role: 'user',
    errors: ['NOT_FOUND'],
    request: T.Object({ petId: Uuid }),
    response: T.Object({}),
    example: { request: { petId }, response: {} },
  },
  'pets.get': {
    description: "A pet's page. NOT_FOUND when the owner's privacy hides it from the caller, or a block stands between them.",
    role: 'user',
    errors: ['NOT_FOUND'],
    request: T.Object({ petId: Uuid }),
    response: T.Object({ pet: Pet, owner: T.Object({ id: Uuid, username: T.String(), displayName: T.String() }) }),
    example: {
      request: { petId },
      response: { pet: examplePet, owner: { id: exampleFriendId, username: 'bruno_y_max', displayName: 'Bruno' } },
    },
  },
  'pets.suggestions': {
    description:
      "Pets the caller may like to meet, for Explore: pets of friends of friends (ranked by shared friends), of one of the caller's species, and recently added ones, photos first. Only pets whose owner's `pets` audience lets the caller see them; never the caller's own or their friends' pets (already known), nor anyone blocked on either side. At most `limit` (10 by default, 30 at most), each owner at most twice.",
    role: 'user',
    errors: [],
    request: T.Object({ limit: T.Optional(T.Integer({ minimum: 1, maximum: 30 })) }),
    response: T.Object({ items: T.Array(PetSuggestion, { maxItems: 30 }) }),
    example: {
      request: { limit: 10 },
      response: {
        items: [
          {
            pet: { id: petId, name: 'Luna', species: 'dog', breed: 'Xoloitzcuintle', photoMediaIds: [], lost: false },
            owner: examplePerson,
            reason: 'friends_of_friends',
            mutualFriends: 3,
          },
        ],
      },
    },
  },
  'pets.list': {
    description: "A user's pets, oldest first, when their `pets` audience lets the caller see them (FORBIDDEN otherwise).",
    role: 'user',
    errors: ['NOT_FOUND', 'INVALID_CURSOR'],
    request: T.Object({ ownerId: Uuid, cursor: Cursor }),
    response: Page(Pet),
    example: { request: { ownerId: exampleFriendId }, response: { items: [examplePet], nextCursor: null } },
  },
} satisfies Record<string, CallSpec>;
