// Pets: each belongs to one user and has its own page. Who sees a pet is its owner's `pets`
// audience; who sees its health and vaccination notes is the pet's own `health` audience (only the
// owner by default). Changes reach followers of the owner's `profile:<id>` topic; marking a pet
// lost notifies the owner's friends (in the same transaction as the change).

import { and, asc, count, eq, gt, type SQL, sql } from 'drizzle-orm';
import type { CallRequest, CallResponse } from '../../protocol/catalogue.ts';
import { users } from '../accounts/schema.ts';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../errors.ts';
import { emit } from '../events.ts';
import { friendIds } from '../graph/lists.ts';
import { isBlocked, type RelationFacts, relationFacts } from '../graph/relations.ts';
import type { Prepared } from '../notifications/notifier.ts';
import type { SocialDeps } from '../people/context.ts';
import { allows, allowsSql, petsAudienceSql, privacyOf } from '../people/privacy.ts';
import { profiles } from '../people/schema.ts';
import { decodeCursor, PAGE_SIZE, pageOf } from '../platform/cursor.ts';
import type { Database } from '../platform/db/index.ts';
import { createOnce } from '../platform/db/once.ts';
import { cleanName } from '../platform/input.ts';
import { pets } from './schema.ts';

type PetRow = typeof pets.$inferSelect;

type PetView = CallResponse<'pets.get'>['pet'];

/** SQL: a pet shows the media `mediaId` (an SQL expression) among its photos. */
export function petsUseMedia(mediaId: SQL): SQL {
  return sql`exists (select 1 from pets pt where pt.photo_media_ids @> array[${mediaId}]::uuid[])`;
}

/** SQL: a pet whose owner's `pets` audience takes in `viewerId` shows the media `mediaId` (an SQL
 * expression). The owner's setting is joined once: `allowsSql` reads the audience three times. */
export function petsShowMedia(viewerId: string, mediaId: SQL): SQL {
  return sql`exists (select 1 from pets pt left join privacy_settings ps on ps.user_id = pt.owner_id
    where pt.photo_media_ids @> array[${mediaId}]::uuid[]
      and ${allowsSql(petsAudienceSql(sql`ps.pets`), sql`pt.owner_id`, viewerId)})`;
}

/** A user has at most this many pets (a shelter's page is a business page with posts, not 500 pets). */
const MAX_PETS = 50;

function petView(row: PetRow, facts: RelationFacts): PetView {
  const view: PetView = {
    id: row.id,
    ownerId: row.ownerId,
    name: row.name,
    species: row.species,
    breed: row.breed,
    sex: row.sex,
    birthDate: row.birthDate,
    size: row.size,
    photoMediaIds: row.photoMediaIds,
    traits: row.traits,
    temperament: row.temperament,
    openToPlaydates: row.openToPlaydates,
    lost: row.lostAt === null ? null : { since: row.lostAt.toISOString(), note: row.lostNote },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
  if (allows(row.healthAudience, facts))
    view.health = { notes: row.healthNotes, vaccinations: row.vaccinationNotes, audience: row.healthAudience };
  return view;
}

function checkBirthDate(birthDate: string | null | undefined) {
  if (birthDate == null) return;
  const date = new Date(`${birthDate}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== birthDate)
    throw new InvalidInputError('birthDate is not a calendar date', { field: 'birthDate' });
  if (date.getTime() > Date.now()) throw new InvalidInputError('birthDate is in the future', { field: 'birthDate' });
  if (date.getUTCFullYear() < 1900) throw new InvalidInputError('birthDate is too far in the past', { field: 'birthDate' });
}

type Changes = Omit<CallRequest<'pets.update'>, 'petId'>;

function columnsOf(changes: Changes): Partial<typeof pets.$inferInsert> {
  checkBirthDate(changes.birthDate);
  const { health, lost, name } = changes;
  // Every column is named: nothing of the request reaches the row unless it is listed here.
  const columns: Partial<typeof pets.$inferInsert> = {};
  if (name !== undefined) columns.name = cleanName(name, 'name', { required: true });
  if (changes.species !== undefined) columns.species = changes.species;
  if (changes.breed !== undefined) columns.breed = changes.breed;
  if (changes.sex !== undefined) columns.sex = changes.sex;
  if (changes.birthDate !== undefined) columns.birthDate = changes.birthDate;
  if (changes.size !== undefined) columns.size = changes.size;
  if (changes.photoMediaIds !== undefined) columns.photoMediaIds = changes.photoMediaIds;
  if (changes.temperament !== undefined) columns.temperament = changes.temperament;
  if (changes.openToPlaydates !== undefined) columns.openToPlaydates = changes.openToPlaydates;
  if (changes.traits !== undefined) columns.traits = [...new Set(changes.traits.map((trait) => trait.trim().toLowerCase()))];
  if (health?.notes !== undefined) columns.healthNotes = health.notes;
  if (health?.vaccinations !== undefined) columns.vaccinationNotes = health.vaccinations;
  if (health?.audience !== undefined) columns.healthAudience = health.audience;
  if (lost === null) {
    columns.lostAt = null;
    columns.lostNote = '';
  }
  return columns;
}

export class Pets {
  readonly #deps: SocialDeps;

  constructor(deps: SocialDeps) {
    this.#deps = deps;
  }

  /** With `clientId`, a retry answers the pet the first attempt made (platform/db/once.ts). */
  create(ownerId: string, request: CallRequest<'pets.create'>): Promise<PetView> {
    return createOnce(
      request.clientId,
      async (clientId) => {
        const [row] = await this.#deps.db
          .select()
          .from(pets)
          .where(and(eq(pets.ownerId, ownerId), eq(pets.clientId, clientId)));
        return row === undefined ? undefined : petView(row, await relationFacts(this.#deps.db, ownerId, ownerId));
      },
      () => this.#create(ownerId, request),
    );
  }

  async #create(ownerId: string, request: CallRequest<'pets.create'>): Promise<PetView> {
    const { db } = this.#deps;
    const columns = columnsOf(request);
    await this.#deps.media.attachable(ownerId, request.photoMediaIds ?? [], ['image']);
    const id = Bun.randomUUIDv7();
    const row = await db.transaction(async (tx) => {
      // Serializes a user's concurrent creates, so the limit holds.
      await tx.select({ id: users.id }).from(users).where(eq(users.id, ownerId)).for('update');
      const [existing] = await tx.select({ n: count() }).from(pets).where(eq(pets.ownerId, ownerId));
      if ((existing?.n ?? 0) >= MAX_PETS) throw new ForbiddenError(`at most ${MAX_PETS} pets per user`, 'TOO_MANY_PETS');
      const now = new Date();
      const [inserted] = await tx
        .insert(pets)
        .values({
          ...columns,
          id,
          ownerId,
          name: columns.name as string,
          species: request.species,
          createdAt: now,
          updatedAt: now,
          clientId: request.clientId ?? null,
        })
        .returning();
      return inserted as PetRow;
    });
    await emit(this.#deps, 'profile', ownerId, 'pet.changed', { userId: ownerId, at: Date.now() });
    return petView(row, await relationFacts(db, ownerId, ownerId));
  }

  async update(ownerId: string, request: CallRequest<'pets.update'>): Promise<PetView> {
    const { db } = this.#deps;
    const { petId, ...changes } = request;
    await this.#deps.media.attachable(ownerId, changes.photoMediaIds ?? [], ['image']);
    const columns = columnsOf(changes);
    const { row, notify } = await db.transaction(async (tx) => {
      const [current] = await tx.select().from(pets).where(eq(pets.id, petId)).for('update');
      if (current === undefined || current.ownerId !== ownerId) throw new NotFoundError('pet');
      let notify: (Prepared | undefined)[] = [];
      if (changes.lost != null) {
        columns.lostNote = changes.lost.note;
        columns.lostAt = current.lostAt ?? new Date();
        if (current.lostAt === null) {
          const friends = await friendIds(tx as unknown as Database, ownerId);
          notify = await Promise.all(
            friends.map((friendId) =>
              this.#deps.notifier.prepare(tx, {
                userId: friendId,
                type: 'pet.lost',
                actorId: ownerId,
                data: { petId, pet: current.name, note: changes.lost?.note ?? '' },
              }),
            ),
          );
        }
      }
      const [updated] = await tx
        .update(pets)
        .set({ ...columns, updatedAt: new Date() })
        .where(eq(pets.id, petId))
        .returning();
      return { row: updated as PetRow, notify };
    });
    await emit(this.#deps, 'profile', ownerId, 'pet.changed', { userId: ownerId, at: Date.now() });
    this.#deps.notifier.dispatch(notify);
    return petView(row, await relationFacts(db, ownerId, ownerId));
  }

  async remove(ownerId: string, petId: string): Promise<Record<string, never>> {
    const deleted = await this.#deps.db
      .delete(pets)
      .where(and(eq(pets.id, petId), eq(pets.ownerId, ownerId)))
      .returning({ id: pets.id });
    if (deleted.length === 0) throw new NotFoundError('pet');
    await emit(this.#deps, 'profile', ownerId, 'pet.changed', { userId: ownerId, at: Date.now() });
    return {};
  }

  /** The facts between viewer and owner when the owner's pets are visible to the viewer; NOT_FOUND otherwise. */
  async #visible(viewerId: string, ownerId: string): Promise<RelationFacts> {
    const { db } = this.#deps;
    const facts = await relationFacts(db, viewerId, ownerId);
    if (isBlocked(facts)) throw new NotFoundError('pet');
    if (!allows((await privacyOf(db, ownerId)).pets, facts)) throw new ForbiddenError('their pets are not visible to you');
    return facts;
  }

  async get(viewerId: string, petId: string): Promise<CallResponse<'pets.get'>> {
    const { db } = this.#deps;
    const [found] = await db
      .select({ pet: pets, owner: { id: users.id, username: users.username, displayName: profiles.displayName } })
      .from(pets)
      .innerJoin(users, eq(users.id, pets.ownerId))
      .leftJoin(profiles, eq(profiles.userId, pets.ownerId))
      .where(eq(pets.id, petId))
      .limit(1);
    if (found === undefined) throw new NotFoundError('pet');
    let facts: RelationFacts;
    try {
      facts = await this.#visible(viewerId, found.pet.ownerId);
    } catch (error) {
      // A pet hidden by privacy is as absent as one that does not exist.
      if (error instanceof ForbiddenError) throw new NotFoundError('pet');
      throw error;
    }
    return {
      pet: petView(found.pet, facts),
      owner: { id: found.owner.id, username: found.owner.username, displayName: found.owner.displayName || found.owner.username },
    };
  }

  async list(viewerId: string, request: CallRequest<'pets.list'>) {
    const facts = await this.#visible(viewerId, request.ownerId);
    const after = decodeCursor(request.cursor, 1);
    const rows = await this.#deps.db
      .select()
      .from(pets)
      .where(and(eq(pets.ownerId, request.ownerId), after === undefined ? undefined : gt(pets.id, after[0] as string)))
      .orderBy(asc(pets.id))
      .limit(PAGE_SIZE + 1);
    return pageOf(
      rows,
      PAGE_SIZE,
      (row) => [row.id],
      (row) => petView(row, facts),
    );
  }
}
