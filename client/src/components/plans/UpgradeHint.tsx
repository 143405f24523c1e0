// What a screen shows in place of a feature the reader's plan does not have: a line saying what
// the plan adds, and the way to the plans (/pricing).
import { Sparkles } from 'lucide-solid';
import type { JSX } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { Button } from '../ui/Button.tsx';

export function UpgradeHint(props: { text: string; testId?: string }): JSX.Element {
  return (
    <aside class="upgrade-hint" data-testid={props.testId}>
      <Sparkles size={20} aria-hidden="true" />
      <p>{props.text}</p>
      <Button href="/pricing" size="sm">
        {t('plans.see')}
      </Button>
    </aside>
  );
}
