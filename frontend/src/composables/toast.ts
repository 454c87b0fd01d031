// Vant's toast on its own, for lazyToast (a dynamic import of this module is a chunk of its own). It imports the
// app's i18n set-up too, as every screen does: a chunk that needed Vant's core without vue-i18n would make the
// bundler split the two apart, and the first screens would pay for the split (tests/browser/test_weight.py).
import '@/i18n'
import { showToast } from 'vant'

export { showToast }
