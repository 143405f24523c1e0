// Objects as files for embedded mode: `objects/data/<key>` holds the bytes and
// `objects/meta/<key>.json` the content type. Writes go to a temporary file renamed into place,
// so a reader never sees half an object.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ObjectNotFoundError } from '../../errors.ts';
import { assertObjectKey, type ObjectStore } from './index.ts';

async function writeAtomically(path: string, body: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, body);
  await rename(temporary, path);
}

function notFound(key: string) {
  return (error: unknown): never => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ObjectNotFoundError(key, { cause: error });
    throw error;
  };
}

export async function openFolderStore(dataDir: string): Promise<ObjectStore> {
  const root = resolve(dataDir, 'objects');
  const dataPath = (key: string) => join(root, 'data', key);
  const metaPath = (key: string) => join(root, 'meta', `${key}.json`);
  await mkdir(join(root, 'data'), { recursive: true });
  await mkdir(join(root, 'meta'), { recursive: true });

  return {
    kind: 'folder',
    location: root,
    async put(key, body, options) {
      assertObjectKey(key);
      await writeAtomically(metaPath(key), JSON.stringify({ contentType: options.contentType }));
      await writeAtomically(dataPath(key), body);
    },
    async get(key) {
      assertObjectKey(key);
      return new Uint8Array(await readFile(dataPath(key)).catch(notFound(key)));
    },
    async stat(key) {
      assertObjectKey(key);
      const info = await stat(dataPath(key)).catch(notFound(key));
      const meta = JSON.parse(await readFile(metaPath(key), 'utf8').catch(notFound(key))) as { contentType: string };
      return { size: info.size, contentType: meta.contentType, modifiedAt: info.mtime };
    },
    async remove(key) {
      assertObjectKey(key);
      await rm(dataPath(key), { force: true });
      await rm(metaPath(key), { force: true });
    },
    async ping() {
      await stat(root);
    },
    close: async () => undefined,
  };
}
