// The entries of the main navigation, shared by the tab bar (phone) and the side navigation (desk).
export interface NavItem {
  name: string
  to: string
  labelKey: string
  icon: string
}

export const navItems: NavItem[] = [
  { name: 'map', to: '/map', labelKey: 'nav.map', icon: 'location-o' },
  { name: 'matters', to: '/matters', labelKey: 'nav.matters', icon: 'todo-list-o' },
  { name: 'me', to: '/me', labelKey: 'nav.me', icon: 'user-o' },
]
