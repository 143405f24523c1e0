// Closed lists of the social core, in a module with no dependencies: the catalogue builds its
// schemas from them, the database checks them, and the web client offers them without bundling
// the schema library.
export const VISIBILITIES = ['public', 'friends', 'close_friends', 'private'] as const;
export const REACTIONS = ['like', 'love', 'haha', 'wow', 'sad', 'angry'] as const;
export const REPORT_REASONS = [
  'spam',
  'harassment',
  'hate',
  'violence',
  'animal_cruelty',
  'nudity',
  'misinformation',
  'scam',
  'other',
] as const;
