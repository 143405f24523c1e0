// /create: a new post, from the navigation's "Create". Once posted, home (the feed) shows it on top.
// A reel is made on its own screen (/create/reel), offered above the post form.
import { useNavigate } from '@solidjs/router';
import { Clapperboard } from 'lucide-solid';
import type { JSX } from 'solid-js';
import { Composer } from '../components/Composer.tsx';
import { Button } from '../components/ui/Button.tsx';
import { t } from '../i18n/index.ts';

export default function Create(): JSX.Element {
  const navigate = useNavigate();
  return (
    <section class="card" aria-labelledby="create-title">
      <h1 id="create-title">{t('composer.title')}</h1>
      <div class="create-reel-entry">
        <Button href="/create/reel" variant="secondary" icon={Clapperboard} data-testid="create-reel">
          {t('reelCreate.entry')}
        </Button>
        <small class="hint">{t('reelCreate.entryHint')}</small>
      </div>
      <Composer onPosted={() => navigate('/')} />
    </section>
  );
}
