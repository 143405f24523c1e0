// Tables owned by the pets module: the pets of each user, each with its own page. Health and
// vaccination notes have their own audience, private (only_me) by default.
import { sql } from 'drizzle-orm';
import { boolean, check, date, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { userRef } from '../accounts/schema.ts';
import { AUDIENCES } from '../people/schema.ts';

export const SPECIES = ['dog', 'cat', 'bird', 'rabbit', 'rodent', 'fish', 'reptile', 'horse', 'other'] as const;
export const PET_SEXES = ['female', 'male', 'unknown'] as const;
export const PET_SIZES = ['tiny', 'small', 'medium', 'large', 'giant'] as const;

export const pets = pgTable(
  'pets',
  {
    id: uuid('id').primaryKey(),
    ownerId: userRef('owner_id'),
    name: text('name').notNull(),
    species: text('species', { enum: SPECIES }).notNull(),
    breed: text('breed').notNull().default(''),
    sex: text('sex', { enum: PET_SEXES }).notNull().default('unknown'),
    birthDate: date('birth_date', { mode: 'string' }),
    size: text('size', { enum: PET_SIZES }),
    /** Media references, in display order; the first is the pet's picture. */
    photoMediaIds: uuid('photo_media_ids').array().notNull().default(sql`'{}'::uuid[]`),
    traits: text('traits').array().notNull().default(sql`'{}'::text[]`),
    temperament: text('temperament').notNull().default(''),
    healthNotes: text('health_notes').notNull().default(''),
    vaccinationNotes: text('vaccination_notes').notNull().default(''),
    healthAudience: text('health_audience', { enum: AUDIENCES }).notNull().default('only_me'),
    openToPlaydates: boolean('open_to_playdates').notNull().default(false),
    lostAt: timestamp('lost_at', { withTimezone: true }),
    lostNote: text('lost_note').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Chosen by the client, the same on every retry of one create: a retry answers what the first made. */
    clientId: uuid('client_id'),
  },
  (table) => [
    uniqueIndex('pets_client').on(table.ownerId, table.clientId).where(sql`${table.clientId} is not null`),
    index('pets_owner').on(table.ownerId, table.id),
    index('pets_species').on(table.species, table.ownerId),
    // Which pets show a media (media.get's access rule).
    index('pets_photos').using('gin', table.photoMediaIds),
    check('pets_species_known', sql`${table.species} in (${sql.raw(SPECIES.map((s) => `'${s}'`).join(', '))})`),
    check('pets_sex_known', sql`${table.sex} in ('female', 'male', 'unknown')`),
  ],
);
