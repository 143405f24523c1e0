// Every Drizzle table of the server, gathered for the typed query builder. Each table is
// declared in the schema.ts of the domain module that owns it; drizzle-kit reads those files
// (drizzle.config.ts) and writes the SQL in migrations/.

export * from '../../accounts/schema.ts';
export * from '../../calls/schema.ts';
export * from '../../chats/schema.ts';
export * from '../../graph/schema.ts';
export * from '../../mail/schema.ts';
export * from '../../notifications/schema.ts';
export * from '../../payments/schema.ts';
export * from '../../people/schema.ts';
export * from '../../pets/schema.ts';
export * from '../../posts/schema.ts';
export * from '../../presence/schema.ts';
export * from '../../reels/schema.ts';
export * from '../../stories/schema.ts';
export * from '../../system/schema.ts';
export * from '../../treats/schema.ts';
export * from '../../verification/schema.ts';
