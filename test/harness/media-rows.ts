// A media row as the pipeline leaves one, written straight to the database, for tests of what
// uses media (stories, reels) that need no files: a 1080 × 1920 upload of 1,000 bytes.
import type { MediaKind } from '../../media/detect.ts';
import { media } from '../../server/media/schema.ts';
import type { Database } from '../../server/platform/db/index.ts';

export async function mediaRow(
  db: Database,
  ownerId: string,
  kind: MediaKind,
  options: { durationMs?: number | null; status?: 'ready' | 'processing' } = {},
): Promise<string> {
  const id = Bun.randomUUIDv7();
  const now = new Date();
  await db.insert(media).values({
    id,
    ownerId,
    kind,
    status: options.status ?? 'ready',
    size: 1000,
    received: 1000,
    durationMs: options.durationMs ?? null,
    width: 1080,
    height: 1920,
    createdAt: now,
    updatedAt: now,
  });
  return id;
}
