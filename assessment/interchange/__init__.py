"""Numbers coming in and going out as files: reading uploads, the Excel entry template, the long
format's rows, planning an import (what would change) and applying it all or nothing."""
