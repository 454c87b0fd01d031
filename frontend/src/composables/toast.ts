// Vant's toast on its own, for lazyToast (a dynamic import of this module is a chunk of its own).
import { showToast } from 'vant'

export { showToast }
