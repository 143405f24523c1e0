/// <reference types="vite/client" />
// The six reactions drawn with Twemoji's pictures (SVG files from @twemoji/svg, CC-BY 4.0), so they
// look the same on every device, including those without a colour emoji font. Decorative: the
// button or text around each says which reaction it is.

import like from '@twemoji/svg/1f44d.svg?url';
import wow from '@twemoji/svg/1f62e.svg?url';
import haha from '@twemoji/svg/1f602.svg?url';
import angry from '@twemoji/svg/1f620.svg?url';
import sad from '@twemoji/svg/1f622.svg?url';
import love from '@twemoji/svg/2764.svg?url';
import type { JSX } from 'solid-js';
import type { ReactionKind } from '../../state/posts.ts';

const PICTURES: Record<ReactionKind, string> = { like, love, haha, wow, sad, angry };

export function ReactionEmoji(props: { kind: ReactionKind; size?: number }): JSX.Element {
  return (
    <img
      class="reaction-emoji"
      src={PICTURES[props.kind]}
      alt=""
      width={props.size ?? 20}
      height={props.size ?? 20}
      draggable={false}
      data-kind-picture={props.kind}
    />
  );
}
