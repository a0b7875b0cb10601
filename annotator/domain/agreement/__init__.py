"""Inter-annotator agreement: chance-corrected coefficients, unitizing alpha and span F1.

Pure Python and numpy, no Django: the services feed these plain values. Token-level kappa and
alpha take their items from `annotator.domain.tokenize` (`tokenize`, then `token_labels` for each
annotator).
"""

from .coefficients import (
    LEVELS,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
)
from .f1 import (
    MATCHES,
    F1Result,
    f1_from_counts,
    macro_f1,
    pooled_f1,
    span_f1,
)
from .unitizing import unitizing_alpha, unitizing_disagreements

__all__ = [
    "LEVELS",
    "MATCHES",
    "F1Result",
    "cohen_kappa",
    "f1_from_counts",
    "fleiss_kappa",
    "krippendorff_alpha",
    "macro_f1",
    "pooled_f1",
    "span_f1",
    "unitizing_alpha",
    "unitizing_disagreements",
]
