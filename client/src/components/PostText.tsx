// The text of a post or comment with its entities as links: mentions lead to the profile,
// hashtags to their page. The server gives UTF-16 offsets, which is how JavaScript strings index,
// so an emoji before a mention (two code units) needs no correction; entities that overlap or
// fall outside the text are left as plain text.
import { A } from '@solidjs/router';
import { For, type JSX } from 'solid-js';
import type { Entity } from '../state/posts.ts';

export type Segment = { text: string } | { text: string; href: string; kind: Entity['type'] };

export function segments(text: string, entities: Entity[]): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const entity of [...entities].sort((a, b) => a.start - b.start)) {
    if (entity.start < at || entity.end > text.length || entity.end <= entity.start) continue;
    if (entity.start > at) out.push({ text: text.slice(at, entity.start) });
    const href = entity.type === 'mention' ? `/u/${encodeURIComponent(entity.value)}` : `/hashtags/${encodeURIComponent(entity.value)}`;
    out.push({ text: text.slice(entity.start, entity.end), href, kind: entity.type });
    at = entity.end;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}

export function PostText(props: { text: string; entities: Entity[] }): JSX.Element {
  return (
    <p class="post-text" dir="auto">
      <For each={segments(props.text, props.entities)}>
        {(segment) =>
          'href' in segment ? (
            <A href={segment.href} class={segment.kind}>
              {segment.text}
            </A>
          ) : (
            segment.text
          )
        }
      </For>
    </p>
  );
}
