// The media job queue across nodes as separate processes sharing NATS (JetStream work queue),
// PostgreSQL and S3: the node processing a video is killed with SIGKILL mid-job; the job is
// delivered again after the ack wait, and the other node finishes it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { apiClient } from './harness/api.ts';
import { type Cluster, register, startCluster } from './harness/cluster.ts';
import type { NodeProcess } from './harness/processes.ts';
import { type S3Server, startS3Server } from './harness/s3.ts';
import { uniqueName } from './harness/services.ts';

let cluster: Cluster;
let s3: S3Server;
let work: string;
beforeAll(async () => {
  s3 = await startS3Server(`pa-${uniqueName('cm').replaceAll('_', '-')}`);
  cluster = await startCluster(2, {
    AUTH_JWT_KEYS: `k1:${'cluster-test-key-'.repeat(3)}`,
    S3_ENDPOINT: s3.config.endpoint.origin,
    S3_ACCESS_KEY: s3.config.accessKey,
    S3_SECRET_KEY: s3.config.secretKey,
    S3_BUCKET: s3.config.bucket,
    MEDIA_JOB_ACK_WAIT_MS: '2000',
    TRUST_PROXY: '127.0.0.1,::1',
  });
  work = mkdtempSync(join(tmpdir(), 'cluster-media-'));
}, 60_000);
afterAll(async () => {
  await cluster.stop();
  await s3.close();
  rmSync(work, { recursive: true, force: true });
});

test('media cluster: a worker killed mid-job leaves the job to another node, which finishes it', async () => {
  const nodes = cluster.nodes as [NodeProcess, NodeProcess];
  const owner = await register(nodes[0]);
  const clip = join(work, 'long.mp4');
  const made = Bun.spawn(
    [
      'ffmpeg',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=1920x1080:rate=30',
      '-t',
      '20',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      clip,
    ],
    { stderr: 'pipe' },
  );
  expect(await made.exited).toBe(0);
  const bytes = new Uint8Array(await Bun.file(clip).arrayBuffer());

  const client = apiClient(nodes[0].url);
  const started = await client.request<{ media: { id: string }; uploadUrl: string; chunkBytes: number }>('POST', '/media/uploads', {
    body: { kind: 'video', size: bytes.byteLength },
    token: owner.token,
  });
  expect(started.status).toBe(201);
  const { uploadUrl, chunkBytes } = started.body;
  for (let offset = 0; offset < bytes.byteLength; offset += chunkBytes) {
    const put = await client.request('PUT', `${uploadUrl}?offset=${offset}`, {
      raw: bytes.subarray(offset, offset + chunkBytes) as Uint8Array<ArrayBuffer>,
      token: owner.token,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(put.status).toBe(200);
  }
  expect((await client.post(`${uploadUrl}/complete`, {}, owner.token)).status).toBe(200);
  const id = started.body.media.id;

  // Whichever node took the job says so in its log; kill it while it transcodes.
  const startedOn = (node: NodeProcess) => node.logs.some((line) => String(line.msg).includes(`media.job() | started [media:${id}]`));
  await expect.poll(() => nodes.some(startedOn), { timeout: 20_000, interval: 50 }).toBe(true);
  const victim = nodes.find(startedOn) as NodeProcess;
  const survivor = nodes.find((node) => node !== victim) as NodeProcess;
  await Bun.sleep(500);
  await victim.stop('SIGKILL');

  const sql = postgres(cluster.database.url, { max: 1 });
  try {
    // Still processing when the worker died: it had not finished.
    const [during] = await sql`select status from media where id = ${id}`;
    expect(during?.status).toBe('processing');
    await expect
      .poll(async () => (await sql`select status from media where id = ${id}`)[0]?.status, { timeout: 120_000, interval: 500 })
      .toBe('ready');
    const [row] = await sql`select attempts, files from media where id = ${id}`;
    expect(row?.attempts).toBeGreaterThanOrEqual(2);
    expect(((row?.files ?? []) as { name: string }[]).map((file) => file.name)).toEqual(
      expect.arrayContaining(['master.m3u8', '1080p/index.m3u8']),
    );
  } finally {
    await sql.end();
  }
  expect(survivor.logs.some((line) => String(line.msg).includes(`media.job() | started [media:${id}] [attempt:2]`))).toBe(true);
}, 180_000);
