// One contract, two object stores: a folder (embedded mode) and S3 through the minio client
// against a local S3-compatible server.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type S3Server, startS3Server } from '../../../test/harness/s3.ts';
import { createTempDir, type TempDir, uniqueName } from '../../../test/harness/services.ts';
import { InvalidObjectKeyError, ObjectNotFoundError } from '../../errors.ts';
import { openFolderStore } from './folder.ts';
import type { ObjectStore } from './index.ts';
import { connectS3Store } from './s3.ts';

let s3: S3Server;
let folder: TempDir;
beforeAll(async () => {
  s3 = await startS3Server(`pa-${uniqueName('b').replaceAll('_', '-')}`);
  folder = createTempDir('objects');
});
afterAll(async () => {
  await s3.close();
  folder.remove();
});

const stores: [string, () => Promise<ObjectStore>][] = [
  ['folder', () => openFolderStore(folder.path)],
  ['s3', () => connectS3Store(s3.config)],
];

describe.each(stores)('storage (%s)', (_kind, open) => {
  let store: ObjectStore;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    await store.close();
  });

  test('storage: put, stat, get and remove an object', async () => {
    const key = `media/${uniqueName('u')}/photo.webp`;
    const body = new Uint8Array(70_000).map((_, i) => (i * 7) % 256);
    await store.put(key, body, { contentType: 'image/webp' });
    const info = await store.stat(key);
    expect(info.size).toBe(body.byteLength);
    expect(info.contentType).toBe('image/webp');
    expect(info.modifiedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(await store.get(key)).toEqual(body);
    await store.remove(key);
    await expect(store.get(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  test('storage: the first bytes read alone, a folder of objects removed at once, a download written to a file, presigned URLs only on S3', async () => {
    const folderKey = `media/${uniqueName('f')}/`;
    const body = new Uint8Array(5000).map((_, i) => i % 251);
    await store.put(`${folderKey}a.bin`, body, { contentType: 'application/octet-stream' });
    await store.put(`${folderKey}b/c.bin`, body, { contentType: 'application/octet-stream' });
    expect(await store.head(`${folderKey}a.bin`, 10)).toEqual(body.slice(0, 10));
    expect(await store.head(`${folderKey}a.bin`, 10_000)).toEqual(body);
    await expect(store.head(`${folderKey}missing.bin`, 10)).rejects.toBeInstanceOf(ObjectNotFoundError);
    const target = `${folder.path}/download-${uniqueName('d')}.bin`;
    await store.download(`${folderKey}a.bin`, target);
    expect(new Uint8Array(await Bun.file(target).arrayBuffer())).toEqual(body);
    await expect(store.download(`${folderKey}missing.bin`, target)).rejects.toBeInstanceOf(ObjectNotFoundError);

    const url = await store.presign('GET', `${folderKey}a.bin`, 60);
    if (store.kind === 'folder') expect(url).toBeUndefined();
    else expect(new Uint8Array(await (await fetch(url as string)).arrayBuffer())).toEqual(body);
    const put = await store.presign('PUT', `${folderKey}put.bin`, 60);
    if (put !== undefined) {
      expect((await fetch(put, { method: 'PUT', body })).ok).toBe(true);
      expect((await store.stat(`${folderKey}put.bin`)).size).toBe(body.byteLength);
    }

    await expect(store.removePrefix(folderKey.slice(0, -1))).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await store.removePrefix(folderKey);
    await expect(store.get(`${folderKey}a.bin`)).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(store.get(`${folderKey}b/c.bin`)).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  test('storage: putting an existing key replaces it', async () => {
    const key = `media/${uniqueName('u')}/doc.txt`;
    await store.put(key, new TextEncoder().encode('first'), { contentType: 'text/plain' });
    await store.put(key, new TextEncoder().encode('second!'), { contentType: 'application/octet-stream' });
    expect(new TextDecoder().decode(await store.get(key))).toBe('second!');
    expect((await store.stat(key)).contentType).toBe('application/octet-stream');
  });

  test('storage: a missing object is ObjectNotFoundError on get and stat; remove is a no-op', async () => {
    const key = `media/${uniqueName('missing')}.bin`;
    const error = await store.get(key).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectNotFoundError);
    expect((error as ObjectNotFoundError).code).toBe('OBJECT_NOT_FOUND');
    await expect(store.stat(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(store.remove(key)).resolves.toBeUndefined();
  });

  test.each([
    '',
    '../escape',
    'a/../../b',
    '/absolute',
    'a//b',
    'a/./b',
    '.hidden',
    'trailing/',
    'dot.',
    'x.tmp',
    'sp ace',
    'nul\0',
    'a'.repeat(1100),
  ])('storage: the key %j is refused and nothing is stored', async (key) => {
    await expect(store.put(key, new Uint8Array([1]), { contentType: 'text/plain' })).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await expect(store.get(key)).rejects.toBeInstanceOf(InvalidObjectKeyError);
  });

  test('storage: ping answers', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});

test('storage (folder): refused keys leave no file behind', async () => {
  const dir = createTempDir('objects-refused');
  try {
    const store = await openFolderStore(dir.path);
    await expect(store.put('../outside', new Uint8Array([1]), { contentType: 'text/plain' })).rejects.toBeInstanceOf(InvalidObjectKeyError);
    expect(readdirSync(dir.path)).toEqual(['objects']);
    expect(readdirSync(`${dir.path}/objects/data`)).toEqual([]);
  } finally {
    dir.remove();
  }
});
