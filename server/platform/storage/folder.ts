// Objects as files for embedded mode: `objects/data/<key>` holds the bytes and
// `objects/meta/<key>.json` the content type. Writes go to a temporary file renamed into place,
// so a reader never sees half an object.
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ObjectNotFoundError } from '../../errors.ts';
import { assertFolderKey, assertObjectKey, type ObjectStore } from './index.ts';

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
    async head(key, bytes) {
      assertObjectKey(key);
      const file = await open(dataPath(key), 'r').catch(notFound(key));
      try {
        const buffer = new Uint8Array(bytes);
        const { bytesRead } = await file.read(buffer, 0, bytes, 0);
        return buffer.slice(0, bytesRead);
      } finally {
        await file.close();
      }
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
    async removePrefix(prefix) {
      assertFolderKey(prefix);
      await rm(dataPath(prefix), { recursive: true, force: true });
      await rm(join(root, 'meta', prefix), { recursive: true, force: true });
    },
    async download(key, path) {
      assertObjectKey(key);
      await copyFile(dataPath(key), path).catch(notFound(key));
    },
    presign: async () => undefined,
    async ping() {
      await stat(root);
    },
    close: async () => undefined,
  };
}
