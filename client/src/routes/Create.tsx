// /create: a new post, from the navigation's "Create". Once posted, home (the feed) shows it on top.
import { useNavigate } from '@solidjs/router';
import type { JSX } from 'solid-js';
import { Composer } from '../components/Composer.tsx';
import { t } from '../i18n/index.ts';

export default function Create(): JSX.Element {
  const navigate = useNavigate();
  return (
    <section class="card" aria-labelledby="create-title">
      <h1 id="create-title">{t('composer.title')}</h1>
      <Composer onPosted={() => navigate('/')} />
    </section>
  );
}
