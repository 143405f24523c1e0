// /settings/appearance: the interface's language and theme (this device's choice, kept in
// localStorage), and signing out.
import { useNavigate } from '@solidjs/router';
import { LogOut } from 'lucide-solid';
import type { JSX } from 'solid-js';
import { SelectField } from '../../components/Field.tsx';
import { LanguageOptions } from '../../components/LanguageOptions.tsx';
import { SettingsNav } from '../../components/SettingsNav.tsx';
import { Button } from '../../components/ui/Button.tsx';
import { locale, setLocale, t } from '../../i18n/index.ts';
import { actions, state, type Theme } from '../../state/store.ts';

export default function Appearance(): JSX.Element {
  const navigate = useNavigate();
  return (
    <section class="card" aria-labelledby="appearance-title">
      <SettingsNav />
      <h1 id="appearance-title">{t('settings.appearance')}</h1>
      <SelectField id="language" label={t('settings.language')} value={locale()} onChange={(value) => setLocale(value)}>
        <LanguageOptions />
      </SelectField>
      <SelectField id="theme" label={t('settings.theme')} value={state.theme} onChange={(value) => actions.setTheme(value as Theme)}>
        <option value="system">{t('settings.theme.system')}</option>
        <option value="light">{t('settings.theme.light')}</option>
        <option value="dark">{t('settings.theme.dark')}</option>
      </SelectField>
      <Button
        variant="secondary"
        icon={LogOut}
        onClick={async () => {
          await actions.signOut();
          navigate('/login');
        }}
      >
        {t('nav.signOut')}
      </Button>
    </section>
  );
}
