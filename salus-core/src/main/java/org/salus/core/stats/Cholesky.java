package org.salus.core.stats;

import org.salus.core.error.SalusException;

/**
 * The Cholesky factor L of a symmetric positive definite matrix A = L Lᵀ (Golub &amp; Van Loan,
 * Matrix Computations, §4.2), for solving the normal equations of IRLS and Newton steps.
 */
public final class Cholesky {

  /** Stable code when the matrix is not positive definite (collinear or empty design). */
  public static final String SINGULAR = "study.fit.singular";

  private final int n;
  private final double[] l;

  private Cholesky(int n, double[] l) {
    this.n = n;
    this.l = l;
  }

  /** Factors the row-major n×n matrix {@code a}; throws {@code study.fit.singular} if not SPD. */
  public static Cholesky of(double[] a, int n) {
    if (a.length != n * n) {
      throw new IllegalArgumentException("matrix has " + a.length + " entries, expected " + n * n);
    }
    double[] l = new double[n * n];
    double scale = 0;
    for (int i = 0; i < n; i++) {
      scale = Math.max(scale, Math.abs(a[i * n + i]));
    }
    for (int j = 0; j < n; j++) {
      double d = a[j * n + j];
      for (int k = 0; k < j; k++) {
        d -= l[j * n + k] * l[j * n + k];
      }
      if (!(d > 1e-13 * scale)) {
        throw new SalusException(
            SINGULAR,
            "the information matrix is singular at parameter " + j + " (collinear covariates?)");
      }
      double ljj = Math.sqrt(d);
      l[j * n + j] = ljj;
      for (int i = j + 1; i < n; i++) {
        double s = a[i * n + j];
        for (int k = 0; k < j; k++) {
          s -= l[i * n + k] * l[j * n + k];
        }
        l[i * n + j] = s / ljj;
      }
    }
    return new Cholesky(n, l);
  }

  /** Solves A x = b. */
  public double[] solve(double[] b) {
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double s = b[i];
      for (int k = 0; k < i; k++) {
        s -= l[i * n + k] * y[k];
      }
      y[i] = s / l[i * n + i];
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double s = y[i];
      for (int k = i + 1; k < n; k++) {
        s -= l[k * n + i] * x[k];
      }
      x[i] = s / l[i * n + i];
    }
    return x;
  }

  /** The diagonal of A⁻¹ (the variances, up to dispersion). */
  public double[] inverseDiagonal() {
    double[] diag = new double[n];
    for (int j = 0; j < n; j++) {
      double[] e = new double[n];
      e[j] = 1;
      diag[j] = solve(e)[j];
    }
    return diag;
  }
}
