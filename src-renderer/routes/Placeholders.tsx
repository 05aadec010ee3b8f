// Screens whose engines arrive in later issues; each still says what it will hold and how to get there.
import { EmptyState } from '../components/EmptyState.tsx';

export function AttackRoute() {
  return (
    <section>
      <h1>Attack simulator</h1>
      <EmptyState title="No model loaded">
        <p>
          Craft FGSM, BIM, PGD, Carlini–Wagner L∞, Boundary, HopSkipJump and smooth adversarial perturbations against a beat, with ε in
          millivolts, and see whether the discriminator flags the attacked input.
        </p>
      </EmptyState>
    </section>
  );
}
