// The icon of each audience a post can have (who can see it).

import type { LucideProps } from 'lucide-solid';
import { Globe, Lock, Star, UsersRound } from 'lucide-solid';
import type { Component } from 'solid-js';
import type { Visibility } from '../../state/posts.ts';

export const VISIBILITY_ICON: Record<Visibility, Component<LucideProps>> = {
  public: Globe,
  friends: UsersRound,
  close_friends: Star,
  private: Lock,
};
