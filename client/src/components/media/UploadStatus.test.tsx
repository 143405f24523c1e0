// An upload in a form: its cancel button gives the unfinished upload up on the server.
import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, expect, test } from 'vitest';
import type { MediaItem } from '../../state/media.ts';
import { startUpload } from '../../state/uploads.ts';
import { UploadStatus } from './UploadStatus.tsx';

afterEach(cleanup);

const ID = '0192a1b2-c3d4-7e5f-8a9b-0000000d1a00';

test('upload status: the cancel button of an upload in progress sends DELETE <uploadUrl> and removes it from the form', async () => {
  const requests: string[] = [];
  const media = { id: ID, kind: 'image', status: 'uploading', received: 0, size: 8 } as MediaItem;
  const upload = startUpload(new Blob([new Uint8Array(8)], { type: 'image/png' }), 'image', {
    token: async () => 'token',
    onMediaChanged: () => () => undefined,
    getMedia: async () => undefined,
    sleep: async () => undefined,
    fetch: async (url, init) => {
      requests.push(`${init.method} ${url}`);
      if (init.method === 'POST') return Response.json({ media, chunkBytes: 8, uploadUrl: `/media/uploads/${ID}` }, { status: 201 });
      if (init.method === 'DELETE') return new Response(null, { status: 204 });
      // The chunk never ends: the upload stays in progress.
      return new Promise<Response>(() => undefined);
    },
  });
  let removed = false;
  render(() => (
    <UploadStatus
      upload={upload}
      onRemove={() => {
        removed = true;
      }}
    />
  ));
  await waitFor(() => expect(requests).toContain(`PUT /media/uploads/${ID}?offset=0`));
  fireEvent.click(screen.getByRole('button', { name: 'Cancel the upload of \u2068Photo\u2069' }));
  await waitFor(() => expect(requests).toContain(`DELETE /media/uploads/${ID}`));
  expect(removed).toBe(true);
  expect(upload.state.phase).toBe('cancelled');
});
