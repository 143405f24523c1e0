// The user's own profile photo (settings and the welcome steps): saved as soon as it is uploaded.
import type { JSX } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { actions } from '../../state/store.ts';
import { PhotoSetting } from './PhotoSetting.tsx';

export function AvatarSetting(props: { current: string | null; testId: string; onSaved: (mediaId: string | null) => void }): JSX.Element {
  return (
    <PhotoSetting
      label={t('profile.avatar')}
      chooseLabel={t('profile.changeAvatar')}
      removeLabel={t('profile.removeAvatar')}
      current={props.current}
      layout="avatar-large"
      testId={props.testId}
      save={async (mediaId) => {
        await actions.call('profile.update', { avatarMediaId: mediaId });
        props.onSaved(mediaId);
      }}
    />
  );
}
